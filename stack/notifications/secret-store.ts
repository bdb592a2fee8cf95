import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ConsoleError } from '../console-error';

/**
 * Secrets of the console (webhook URLs, SMTP passwords), encrypted at rest. The web mode uses
 * AES-256-GCM with a key in its own 0600 file; the desktop app plugs in Electron's safeStorage
 * (the OS keychain) as the cipher. Either way the store is one 0600 file of ciphertext.
 */
export interface SecretStore {
  read(): Promise<Record<string, string>>;
  write(values: Record<string, string>): Promise<void>;
}

export interface SecretCipher {
  encrypt(plain: Buffer): Promise<Buffer>;
  decrypt(blob: Buffer): Promise<Buffer>;
}

export class SecretStoreError extends ConsoleError {
  override name = 'SecretStoreError';
  constructor(message: string) {
    super('SECRETS_UNREADABLE', message, 409);
  }
}

async function readIfExists(file: string): Promise<Buffer | null> {
  return readFile(file).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return null;
    throw err;
  });
}

/** Writes a private file atomically: temp file 0600 in the same directory, then rename. */
export async function writePrivateFile(file: string, content: string | Buffer): Promise<void> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(tmp, content, { mode: 0o600 });
  await chmod(tmp, 0o600);
  await rename(tmp, file);
}

export class EncryptedFileSecretStore implements SecretStore {
  constructor(
    private readonly file: string,
    private readonly cipher: SecretCipher,
  ) {}

  async read(): Promise<Record<string, string>> {
    const blob = await readIfExists(this.file);
    if (!blob) return {};
    try {
      return JSON.parse((await this.cipher.decrypt(blob)).toString('utf8')) as Record<string, string>;
    } catch {
      throw new SecretStoreError(`The stored secrets in ${this.file} cannot be decrypted (the key changed or the file is damaged); enter them again.`);
    }
  }

  async write(values: Record<string, string>): Promise<void> {
    await writePrivateFile(this.file, await this.cipher.encrypt(Buffer.from(JSON.stringify(values), 'utf8')));
  }
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

/** AES-256-GCM with a random key created on first use in `keyFile` (0600, apart from the data). */
export function aesGcmFileCipher(keyFile: string): SecretCipher {
  let key: Promise<Buffer> | null = null;
  const loadKey = () =>
    (key ??= (async () => {
      const existing = await readIfExists(keyFile);
      if (existing?.length === 32) return existing;
      const fresh = randomBytes(32);
      await writePrivateFile(keyFile, fresh);
      return fresh;
    })());
  return {
    async encrypt(plain) {
      const iv = randomBytes(IV_BYTES);
      const c = createCipheriv('aes-256-gcm', await loadKey(), iv);
      const body = Buffer.concat([c.update(plain), c.final()]);
      return Buffer.concat([iv, c.getAuthTag(), body]);
    },
    async decrypt(blob) {
      const d = createDecipheriv('aes-256-gcm', await loadKey(), blob.subarray(0, IV_BYTES));
      d.setAuthTag(blob.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return Buffer.concat([d.update(blob.subarray(IV_BYTES + TAG_BYTES)), d.final()]);
    },
  };
}
