import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../../bin/rx580-ops.js', import.meta.url));
const run = promisify(execFile);

/** Runs the built CLI as a user would; resolves with its output and exit code. */
async function cli(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('rx580-ops CLI (built)', () => {
  beforeAll(() => {
    if (!existsSync(fileURLToPath(new URL('../../dist/cli.js', import.meta.url)))) throw new Error('Build first: npm run build (npm test does it).');
  });

  const noEngine = { DOCKER_HOST: 'unix:///tmp/rx580-cli-no-engine.sock' };

  it('stack status prints a table that says the engine is unreachable, naming the socket', async () => {
    const { code, stdout } = await cli(['stack', 'status'], noEngine);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Docker engine: Cannot reach the Docker engine at unix:\/\/\/tmp\/rx580-cli-no-engine\.sock/);
    expect(stdout).toMatch(/^SERVICE\s+STATE\s+HEALTH\s+PORT\s+IMAGE$/m);
  });

  it('stack status --json is machine-readable and honours environment settings', async () => {
    const { stdout } = await cli(['stack', 'status', '--json'], { ...noEngine, RX580_OPS_PROMETHEUS_PORT: '19999', RX580_OPS_PROJECT: 'clitest' });
    const status = JSON.parse(stdout);
    expect(status.project).toBe('clitest');
    expect(status.services.find((s: { name: string }) => s.name === 'prometheus').port).toBe(19999);
  });

  it('stack up without an engine fails with one sentence and exit code 1, no stack trace', async () => {
    const { code, stderr } = await cli(['stack', 'up'], noEngine);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^rx580-ops: Cannot reach the Docker engine at unix:\/\/\/tmp\/rx580-cli-no-engine\.sock/);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('reads the settings file given with --settings, and explains a broken one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rx580-cli-'));
    const good = join(dir, 'good.json');
    await writeFile(good, JSON.stringify({ alertmanager: { port: 19393 } }));
    const { stdout } = await cli(['--settings', good, 'stack', 'status', '--json'], noEngine);
    expect(JSON.parse(stdout).services.find((s: { name: string }) => s.name === 'alertmanager').port).toBe(19393);

    const bad = join(dir, 'bad.json');
    await writeFile(bad, JSON.stringify({ alertmanager: { port: 'high' } }));
    const res = await cli(['--settings', bad, 'stack', 'status'], noEngine);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/^rx580-ops: Invalid settings: alertmanager\.port: /);
  });

  it('lists the environment variables in --help', async () => {
    const { stdout } = await cli(['--help']);
    expect(stdout).toContain('RX580_OPS_PROMETHEUS_IMAGE');
  });
});
