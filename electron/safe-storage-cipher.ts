import type { SafeStorage } from 'electron';
import type { SecretCipher } from '../stack/secret-store';

/** The desktop app's secret cipher: Electron safeStorage, i.e. the OS keychain's key. */
export function safeStorageCipher(safeStorage: Pick<SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString'>): SecretCipher {
  const ready = () => {
    if (!safeStorage.isEncryptionAvailable()) throw new Error('The operating system offers no secret storage (safeStorage is unavailable).');
  };
  return {
    async encrypt(plain) {
      ready();
      return safeStorage.encryptString(plain.toString('utf8'));
    },
    async decrypt(blob) {
      ready();
      return Buffer.from(safeStorage.decryptString(blob), 'utf8');
    },
  };
}
