import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EncryptedFileSecretStore } from '../../stack/notifications/secret-store';
import { safeStorageCipher } from './safe-storage-cipher';

/** A fake of Electron's safeStorage (no Electron binary here): reversible, and visibly not plain text. */
function fakeSafeStorage(available = true) {
  const flip = (b: Buffer) => Buffer.from(b.map((x) => x ^ 0x5a));
  return {
    isEncryptionAvailable: () => available,
    encryptString: (plain: string) => flip(Buffer.from(plain, 'utf8')),
    decryptString: (blob: Buffer) => flip(blob).toString('utf8'),
  };
}

describe('safeStorageCipher', () => {
  it('stores secrets through safeStorage, never as plain text', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'safe-')), 'secrets.enc');
    const store = new EncryptedFileSecretStore(file, safeStorageCipher(fakeSafeStorage()));
    await store.write({ 'discord.webhookUrl': 'https://discord.com/api/webhooks/1/TOKEN-XYZ' });
    expect((await readFile(file)).toString('latin1')).not.toContain('TOKEN-XYZ');
    expect(await store.read()).toEqual({ 'discord.webhookUrl': 'https://discord.com/api/webhooks/1/TOKEN-XYZ' });
  });

  it('refuses to store anything when the OS offers no secret storage', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'safe-')), 'secrets.enc');
    const store = new EncryptedFileSecretStore(file, safeStorageCipher(fakeSafeStorage(false)));
    await expect(store.write({ a: 'b' })).rejects.toThrow(/safeStorage is unavailable/);
  });
});
