import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rigAddSchema } from '../../electron/api/schemas/rigs';
import { aesGcmFileCipher } from '../notifications/secret-store';
import { createRigHost, type RigHost } from '../testing/rig-hosts';
import { clientTls, makeRigTls } from '../testing/rig-tls';
import { TEST_TMP_ENV } from '../testing/test-tmp-setup';
import { RigRegistry } from './rig-registry';

// A rig whose engine listens on tcp://<address>:2376 with --tlsverify (certificates made with
// openssl as Docker's docs set them up), reached with the client certificate and nothing else.
describe('a rig over TCP with TLS client certificates', () => {
  let rig: RigHost;
  let registry: RigRegistry;
  let dir: string;

  beforeAll(async () => {
    rig = await createRigHost({ name: 'tls', tls: true });
    dir = await mkdtemp(join(process.env[TEST_TMP_ENV] ?? tmpdir(), 'tcp-rig-'));
    registry = new RigRegistry({ dir, cipher: aesGcmFileCipher(join(dir, 'secrets.key')), workerPorts: [18000] });
  }, 120_000);

  afterAll(async () => {
    registry?.close();
    await rig?.destroy();
  });

  const input = (tls: { ca: string; cert: string; key: string }) => rigAddSchema.parse({ name: 'rig-tls', url: `tcp://${rig.address}:2376`, tls });

  it('refuses a client certificate of another CA, and an engine its CA did not sign, as TLS failures, storing nothing', async () => {
    const other = await clientTls(await makeRigTls(await mkdtemp(join(dir, 'other-')), rig.address));
    const mine = await clientTls(rig.tls!);
    await expect(registry.add(input({ ...mine, cert: other.cert, key: other.key }))).rejects.toMatchObject({ code: 'RIG_TLS', status: 422 });
    await expect(registry.add(input({ ...mine, ca: other.ca }))).rejects.toMatchObject({ code: 'RIG_TLS', message: expect.stringMatching(/failed the TLS check/) });
    expect(await registry.stored()).toEqual([]);
  }, 60_000);

  it('adds the rig with its certificates: the engine answers, its name is the rig\'s own', async () => {
    const added = await registry.add(input(await clientTls(rig.tls!)));
    expect(added).toMatchObject({ name: 'rig-tls', auth: 'tls', hostKey: null, probe: { ok: true, engineName: rig.netns, cards: [] } });
    expect(await registry.test('rig-tls')).toMatchObject({ ok: true });
  }, 60_000);
});
