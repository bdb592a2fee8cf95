import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiKeys } from './api-keys';

const KEY_A = 'Zm9vYmFyLWtleS1hLTAxMjM0NTY3ODk';
const KEY_B = 'second_key-with.all~chars+/==';

describe('API keys', () => {
  it('reads one key per line, skipping blanks and comments, and matches only those', () => {
    const keys = ApiKeys.parse(`# rig keys\n${KEY_A}\r\n\n  ${KEY_B}  \n`, 'keys.txt');
    expect(keys.count).toBe(2);
    expect(keys.match(KEY_A)).toBe(0);
    expect(keys.match(KEY_B)).toBe(1);
    expect(keys.match(KEY_A.slice(0, -1))).toBe(-1);
    expect(keys.match(`${KEY_A}x`)).toBe(-1);
    expect(keys.match('')).toBe(-1);
  });

  it('refuses a file without keys, a short key and a key a bearer header cannot carry, by line and never quoting it', () => {
    expect(() => ApiKeys.parse('# nothing\n\n', 'keys.txt')).toThrow('keys.txt holds no API key (one per line)');
    expect(() => ApiKeys.parse(`${KEY_A}\nshort-secret`, 'keys.txt')).toThrow('keys.txt, line 2: an API key needs at least 16 characters');
    const bad = 'has a space inside the key';
    expect(() => ApiKeys.parse(bad, 'keys.txt')).toThrow(/^keys\.txt, line 1: an API key holds only letters/);
    const message = (() => {
      try {
        ApiKeys.parse(`${KEY_A}\n${bad}`, 'keys.txt');
        return '';
      } catch (err) {
        return (err as Error).message;
      }
    })();
    expect(message).toMatch(/^keys\.txt, line 2: /);
    expect(message).not.toContain(bad);
    expect(message).not.toContain(KEY_A);
  });

  it('names the setting and the file when the file cannot be read', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rx580-keys-'));
    await expect(ApiKeys.load(join(dir, 'missing.txt'), 'RX580_OPS_INFERENCE_API_KEYS_FILE')).rejects.toThrow(
      `RX580_OPS_INFERENCE_API_KEYS_FILE=${join(dir, 'missing.txt')} cannot be read: ENOENT`,
    );
    await writeFile(join(dir, 'keys.txt'), `${KEY_A}\n`);
    expect((await ApiKeys.load(join(dir, 'keys.txt'), 'X')).match(KEY_A)).toBe(0);
  });

  it('tells a well-formed bearer credential from anything else', () => {
    expect(ApiKeys.wellFormed(KEY_B)).toBe(true);
    for (const bad of ['', 'a b', 'key"', 'ключ', '=abc']) expect(ApiKeys.wellFormed(bad)).toBe(false);
  });
});
