import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeLeftoverRigHosts } from './rig-hosts';

/** Where this run's test data folders go (testStackSettings reads it): one folder, removed when the run ends. */
export const TEST_TMP_ENV = 'RX580_OPS_TEST_TMP';

/**
 * Vitest's global setup, in its main process before any test file's process starts (they inherit
 * the variable). removeData() takes only a project's folder, as it must of a user's data folder,
 * so the folders around it are this teardown's; a test process's own exit hooks do not run when
 * vitest ends its workers.
 */
export default async function setup(): Promise<() => Promise<void>> {
  // Rig hosts (network namespaces with their own sshd and dockerd) an earlier, killed run left.
  if (process.getuid?.() === 0) await removeLeftoverRigHosts().catch((err: unknown) => process.stderr.write(`leftover rig hosts could not all be removed: ${(err as Error).message}\n`));
  const dir = await mkdtemp(join(tmpdir(), 'rx580-ops-tests-'));
  process.env[TEST_TMP_ENV] = dir;
  return async () => {
    await rm(dir, { recursive: true, force: true }).catch((err: unknown) => {
      process.stderr.write(`test data under ${dir} could not all be removed: ${(err as Error).message}\n`);
    });
  };
}
