import type { StoredRig } from '../../electron/api/schemas/rigs';
import { generateApiKey } from '../tls/api-key';
import { ensureConsoleCa, issueServerCertificate, type ConsoleCa } from '../tls/console-ca';
import type { RigAccess } from './fleet';
import type { RigRegistry } from './rig-registry';

/** A certificate is reissued this long before it ends, and whenever the rig's address changed. */
const RENEW_BEFORE_MS = 30 * 24 * 60 * 60 * 1000;

interface StoredCertificate {
  cert: string;
  key: string;
  notAfter: number;
  host: string;
}

/**
 * Each rig's API key (made once, kept in the secret store) and TLS certificate for its address,
 * issued by the console's own CA, which Prometheus trusts (`tls_config.ca_file`).
 */
export function rigAccess(registry: RigRegistry, caDir: string): RigAccess & { caCert(): Promise<string> } {
  // Read or made once per console: two first users at once would each make a CA, and one's
  // certificates would not be signed by the CA Prometheus is given.
  let ca: Promise<ConsoleCa> | undefined;
  const consoleCa = () =>
    (ca ??= ensureConsoleCa(caDir).catch((err: unknown) => {
      ca = undefined;
      throw err;
    }));
  return {
    apiKey: (rig: StoredRig) => registry.rigSecret(rig.name, 'apiKey', async (current) => (current ? null : generateApiKey())),
    async tls(rig: StoredRig) {
      const text = await registry.rigSecret(rig.name, 'tls', async (current) => {
        const stored = current ? (JSON.parse(current) as StoredCertificate) : null;
        if (stored && stored.host === rig.address && stored.notAfter - Date.now() > RENEW_BEFORE_MS) return null;
        const issued = await issueServerCertificate(await consoleCa(), { hosts: [rig.address] });
        return JSON.stringify({ cert: issued.certPem, key: issued.keyPem, notAfter: issued.notAfter.getTime(), host: rig.address } satisfies StoredCertificate);
      });
      const { cert, key } = JSON.parse(text) as StoredCertificate;
      return { cert, key };
    },
    caCert: async () => (await consoleCa()).certPem,
  };
}
