/**
 * Benchmark: time from "stack up" to every service ready, the console (StackManager) against
 * docker-compose plus readiness polling of the same images, ports, mounts and commands, in the
 * same run. Prints medians and the ratio. Run with `npm run bench:stack`.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { StackManager } from '../stack-manager';
import { buildStackSpec, type StackSpec } from '../stack-spec';
import { testStackSettings } from '../testing/test-settings';

const run = promisify(execFile);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const POLL_MS = 250; // the same interval StackManager uses while waiting for readiness

async function waitReady(spec: StackSpec): Promise<void> {
  for (const s of spec.services) {
    for (;;) {
      const ok = await fetch(`http://127.0.0.1:${s.hostPort}${s.readyPath}`, { signal: AbortSignal.timeout(1000) })
        .then((r) => r.ok)
        .catch(() => false);
      if (ok) break;
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }
}

/** The compose file a user would write for the same stack. */
function composeFile(spec: StackSpec): string {
  const services = Object.fromEntries(
    spec.services.map((s) => [
      s.service,
      {
        image: s.image,
        command: s.cmd,
        user: s.user,
        ports: [`127.0.0.1:${s.hostPort}:${s.containerPort}`],
        volumes: [`${s.configDir}:${s.configTarget}:ro`, `${s.service}-data:${s.dataTarget}`],
        extra_hosts: ['host.docker.internal:host-gateway'],
        depends_on: s.service === 'prometheus' ? ['alertmanager'] : undefined,
      },
    ]),
  );
  return stringify({ version: '3.8', services, volumes: Object.fromEntries(spec.services.map((s) => [`${s.service}-data`, {}])) });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  await run('docker-compose', ['version']).catch(() => {
    throw new Error('docker-compose is not installed: apt-get install docker-compose');
  });
  const settings = await testStackSettings('bench');
  const manager = new StackManager({ settings });
  const spec = buildStackSpec(settings);
  const composeDir = await mkdtemp(join(tmpdir(), 'rx580-bench-compose-'));
  const composeYml = join(composeDir, 'docker-compose.yml');
  const compose = (...args: string[]) => run('docker-compose', ['-p', `${spec.project}-compose`, '-f', composeYml, ...args]);

  // One untimed console start renders the config files both sides then mount.
  await manager.up();
  await manager.down();
  await writeFile(composeYml, composeFile(spec));

  const consoleTimes: number[] = [];
  const composeTimes: number[] = [];
  try {
    for (let round = 1; round <= ROUNDS; round++) {
      let t = performance.now();
      await manager.up();
      consoleTimes.push(performance.now() - t);
      // Data is kept between console rounds (remove-data would also delete the config the
      // compose side mounts), so the console replays its WAL while compose starts empty: a
      // handicap for the console, never in its favour.
      await manager.down();

      t = performance.now();
      await compose('up', '-d');
      await waitReady(spec);
      composeTimes.push(performance.now() - t);
      await compose('down', '-v');
      console.log(`round ${round}: console ${consoleTimes.at(-1)!.toFixed(0)} ms, compose ${composeTimes.at(-1)!.toFixed(0)} ms`);
    }
  } finally {
    await manager.down().catch(() => undefined);
    await manager.removeData().catch(() => undefined);
    await compose('down', '-v').catch(() => undefined);
  }
  const c = median(consoleTimes);
  const d = median(composeTimes);
  console.log(`stack up to ready, median of ${ROUNDS}: console ${c.toFixed(0)} ms, docker-compose ${d.toFixed(0)} ms`);
  console.log(`ratio console/compose: ${(c / d).toFixed(2)} (target: <= 1.00)`);
}

main().catch((err) => {
  console.error(`bench-stack: ${(err as Error).message}`);
  process.exit(1);
});
