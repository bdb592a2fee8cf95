import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyEnvOverrides, parseSettings, type Settings } from '../settings';

/** A port that was free a moment ago, found by letting the kernel pick one on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * Settings for a test that runs the real stack: a project name of its own (so tests never touch
 * a developer's stack or each other's), free ports, a temporary data directory, and the images
 * named by `eval "$(npm run -s test-images)"`.
 */
export async function testStackSettings(name: string): Promise<Settings> {
  for (const v of ['RX580_OPS_PROMETHEUS_IMAGE', 'RX580_OPS_ALERTMANAGER_IMAGE']) {
    if (!process.env[v]) throw new Error(`${v} is not set: run the tests with \`npm test\`, or eval "$(npm run -s test-images)" first.`);
  }
  const suffix = `${process.pid}-${Math.random().toString(36).slice(2, 7)}`;
  return parseSettings(
    applyEnvOverrides(
      {
        project: `rx580-test-${name}-${suffix}`,
        dataDir: await mkdtemp(join(tmpdir(), 'rx580-ops-test-')),
        prometheus: { port: await freePort() },
        alertmanager: { port: await freePort() },
        grafana: { enabled: false },
        // stack.up also starts the inference service: never on a port another run may hold.
        inference: { port: await freePort() },
        web: { port: 0 },
      },
      { RX580_OPS_PROMETHEUS_IMAGE: process.env.RX580_OPS_PROMETHEUS_IMAGE, RX580_OPS_ALERTMANAGER_IMAGE: process.env.RX580_OPS_ALERTMANAGER_IMAGE },
    ),
  );
}
