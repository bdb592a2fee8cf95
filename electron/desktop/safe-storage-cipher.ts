import type { SafeStorage } from 'electron';
import { ConsoleError } from '../../stack/console-error';
import type { SecretCipher } from '../../stack/notifications/secret-store';

/** The desktop app's secret cipher: Electron safeStorage, i.e. the OS keychain's key. */
export function safeStorageCipher(safeStorage: Pick<SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString'>): SecretCipher {
  const ready = () => {
    if (!safeStorage.isEncryptionAvailable()) {
      throw new ConsoleError('SECRET_STORAGE_UNAVAILABLE', 'The operating system offers no secret storage (safeStorage is unavailable): unlock or set up the keyring, then try again.', 503);
    }
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
