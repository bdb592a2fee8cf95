import { mkdtemp } from 'node:fs/promises';
import { TEST_TMP_ENV } from './test-tmp-setup';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isPortFree } from '../engine/port-check';
import { applyEnvOverrides, parseSettings } from '../../electron/settings/settings-file';
import type { Settings } from '../../electron/api/schemas/settings';

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

const IMAGE_VARIABLES = ['RX580_OPS_PROMETHEUS_IMAGE', 'RX580_OPS_ALERTMANAGER_IMAGE', 'RX580_OPS_INFERENCE_BASE_IMAGE'] as const;
const NODE_EXPORTER_IMAGE = 'RX580_OPS_NODE_EXPORTER_IMAGE';

/** The first of `n` consecutive ports that were all free a moment ago. */
export async function freePortRun(n: number): Promise<number> {
  for (;;) {
    const first = await freePort();
    if (first + n > 65535) continue;
    const rest = await Promise.all(Array.from({ length: n - 1 }, (_, i) => isPortFree(first + 1 + i)));
    if (rest.every(Boolean)) return first;
  }
}

/**
 * Settings for a test that runs the real stack: a project name of its own (so tests never touch
 * a developer's stack or each other's), free ports, a temporary data directory, and the images
 * named by `eval "$(npm run -s test-images)"`. The inference workers (a container built from
 * inference/Dockerfile on the test base image) run only where a test asks for them.
 */
export async function testStackSettings(name: string, options: { inference?: boolean; nodeExporter?: { sysfs: string } } = {}): Promise<Settings> {
  const required = [...IMAGE_VARIABLES, ...(options.nodeExporter ? [NODE_EXPORTER_IMAGE] : [])];
  for (const v of required) {
    if (!process.env[v]) throw new Error(`${v} is not set: run the tests with \`npm test\`, or eval "$(npm run -s test-images)" first.`);
  }
  const suffix = `${process.pid}-${Math.random().toString(36).slice(2, 7)}`;
  // Inside the run's folder (test-tmp-setup.ts), which goes when the run ends.
  const dataDir = await mkdtemp(join(process.env[TEST_TMP_ENV] ?? tmpdir(), 'rx580-ops-test-'));
  return parseSettings(
    applyEnvOverrides(
      {
        project: `rx580-test-${name}-${suffix}`,
        dataDir,
        prometheus: { port: await freePort() },
        alertmanager: { port: await freePort() },
        grafana: { enabled: false },
        // Off unless asked: it reads the host, and most tests have no use for it.
        nodeExporter: options.nodeExporter ? { enabled: true, sysfs: options.nodeExporter.sysfs } : { enabled: false },
        // Ports of its own, so parallel tests never meet: workers publish port, port + 1, …
        inference: { enabled: options.inference ?? false, port: await freePortRun(4) },
        web: { port: 0 },
      },
      // Every image the test environment names, needed or not: settings read back from a file
      // with the same environment must equal these.
      Object.fromEntries([...IMAGE_VARIABLES, NODE_EXPORTER_IMAGE].map((v) => [v, process.env[v]])),
    ),
  );
}
