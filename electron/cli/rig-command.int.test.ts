import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { TEST_TMP_ENV } from '../../stack/testing/test-tmp-setup';

const BIN = fileURLToPath(new URL('../../bin/rx580-ops.js', import.meta.url));
const run = promisify(execFile);

async function cli(args: string[], settingsFile: string) {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, '--settings', settingsFile, ...args], { env: { PATH: process.env.PATH, HOME: process.env.HOME } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

// The built CLI's rig commands, without a rig: what they say to bad input, and the empty fleet.
// Adding real rigs over SSH is stack/rigs/fleet.int.test.ts's, through the same API methods.
describe('rx580-ops rig (built)', () => {
  let settings: string;
  beforeAll(async () => {
    if (!existsSync(fileURLToPath(new URL('../../dist/cli.js', import.meta.url)))) throw new Error('Build first: npm run build (npm test does it).');
    const dir = await mkdtemp(join(process.env[TEST_TMP_ENV] ?? tmpdir(), 'rig-cli-'));
    settings = join(dir, 'settings.json');
    await writeFile(settings, JSON.stringify({ dataDir: dir, project: 'rigcli' }));
  });

  it('lists this machine alone, and says there are no other rigs', async () => {
    const list = await cli(['rig', 'list'], settings);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^RIG\s+URL\s+ADDRESS/m);
    expect(list.stdout).toMatch(/^local\s+this machine\s+127\.0\.0\.1/m);
    expect(JSON.parse((await cli(['rig', 'list', '--json'], settings)).stdout).map((r: { name: string }) => r.name)).toEqual(['local']);
    expect((await cli(['rig', 'status'], settings)).stdout).toMatch(/No rigs besides this machine/);
  });

  it.each([
    [['rig', 'add', 'rig-b', 'ssh://ops@10.0.0.5/var/run/docker.sock'], /no path/],
    [['rig', 'add', 'rig-b', 'ssh://10.0.0.5'], /name the SSH user/],
    [['rig', 'add', 'local', 'ssh://ops@10.0.0.5'], /this machine's own rig/],
    [['rig', 'add', 'rig-b', 'ssh://ops@10.0.0.5', '--key', '/nonexistent/key'], /Cannot read the key file \/nonexistent\/key \(ENOENT\)/],
    [['rig', 'test', 'rig-x'], /No rig is named rig-x/],
    [['rig', 'remove', 'rig-x'], /No rig is named rig-x/],
    [['rig', 'stop', 'rig-x', 'cpu'], /No rig is named rig-x/],
    [['rig', 'start', 'rig-x'], /missing required argument 'worker'/],
    [['rig', 'stop', 'local', 'card9'], /This machine has no worker card9: its workers are/],
  ])('%j fails with one sentence and exit code 1', async (args, message) => {
    const { code, stderr } = await cli(args, settings);
    expect(code).toBe(1);
    expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});
