import { createHash, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';

/**
 * The API keys a caller may present as `Authorization: Bearer <key>`, read from a file of one key
 * per line. Only their SHA-256 digests are kept: every comparison is then between 32-byte values,
 * so timingSafeEqual applies whatever the presented length, and no key sits in memory as text.
 */

/** RFC 6750's b64token: what a bearer credential may contain. */
const TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;
/** Shorter than this is a password, not a generated key (a generated one is 43 characters). */
export const MIN_KEY_LENGTH = 16;

const digest = (key: string) => createHash('sha256').update(key).digest();

export class ApiKeys {
  private constructor(private readonly digests: readonly Buffer[]) {}

  /** Keys from lines of text; `source` names where they came from in errors (never a key). */
  static parse(text: string, source: string): ApiKeys {
    const digests: Buffer[] = [];
    text.split(/\r?\n/).forEach((raw, i) => {
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) return;
      if (!TOKEN.test(line)) throw new Error(`${source}, line ${i + 1}: an API key holds only letters, digits and - . _ ~ + / (then = padding)`);
      if (line.length < MIN_KEY_LENGTH) throw new Error(`${source}, line ${i + 1}: an API key needs at least ${MIN_KEY_LENGTH} characters`);
      digests.push(digest(line));
    });
    if (digests.length === 0) throw new Error(`${source} holds no API key (one per line)`);
    return new ApiKeys(digests);
  }

  /** Keys from a file; `setting` (the variable that named it) is in every error. */
  static async load(file: string, setting: string): Promise<ApiKeys> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      throw new Error(`${setting}=${file} cannot be read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    return ApiKeys.parse(text, `${setting}=${file}`);
  }

  get count(): number {
    return this.digests.length;
  }

  /** Index of the key `token` is, or -1. Every key is compared, so the time says nothing of which matched or how near. */
  match(token: string): number {
    const presented = digest(token);
    let found = -1;
    for (let i = 0; i < this.digests.length; i++) {
      if (timingSafeEqual(presented, this.digests[i]!) && found < 0) found = i;
    }
    return found;
  }

  /** Whether `token` could be a bearer credential at all (a malformed one is a 400-like 401, not a wrong key). */
  static wellFormed(token: string): boolean {
    return TOKEN.test(token);
  }
}
