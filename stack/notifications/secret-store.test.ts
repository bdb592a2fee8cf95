import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aesGcmFileCipher, EncryptedFileSecretStore, SecretStoreError } from './secret-store';

describe('EncryptedFileSecretStore with AES-GCM', () => {
  it('keeps secrets encrypted in a 0600 file, with the key in another 0600 file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'secrets-'));
    const store = new EncryptedFileSecretStore(join(dir, 'secrets.enc'), aesGcmFileCipher(join(dir, 'secrets.key')));
    expect(await store.read()).toEqual({});
    await store.write({ 'slack.webhookUrl': 'https://hooks.slack.com/services/SECRET-VALUE' });
    const raw = await readFile(join(dir, 'secrets.enc'));
    expect(raw.toString('latin1')).not.toContain('SECRET-VALUE');
    expect((await stat(join(dir, 'secrets.enc'))).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'secrets.key'))).mode & 0o777).toBe(0o600);
    expect((await stat(dir)).mode & 0o077).toBe(0);
    // A fresh store over the same files (the next start of the console) reads them back.
    const again = new EncryptedFileSecretStore(join(dir, 'secrets.enc'), aesGcmFileCipher(join(dir, 'secrets.key')));
    expect(await again.read()).toEqual({ 'slack.webhookUrl': 'https://hooks.slack.com/services/SECRET-VALUE' });
  });

  it('says so when the ciphertext was tampered with or the key changed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'secrets-'));
    const store = new EncryptedFileSecretStore(join(dir, 'secrets.enc'), aesGcmFileCipher(join(dir, 'secrets.key')));
    await store.write({ a: 'b' });
    await writeFile(join(dir, 'secrets.key'), Buffer.alloc(32, 1));
    const other = new EncryptedFileSecretStore(join(dir, 'secrets.enc'), aesGcmFileCipher(join(dir, 'secrets.key')));
    await expect(other.read()).rejects.toBeInstanceOf(SecretStoreError);
  });
});
