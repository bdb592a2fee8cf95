/**
 * Benchmark: time from "stack up" to every service ready, the console (StackManager) against
 * docker-compose plus readiness polling of the same images, ports, mounts and commands, in the
 * same run. Both sides run the inference service too: the console builds its image (once,
 * untimed) and compose runs that same tag. Prints medians and the ratio. Run with
 * `npm run bench:stack`.
 */
import Docker from 'dockerode';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { appRoot } from '../../electron/core/app-root';
import { buildInferenceImage } from '../engine/inference-image';
import { isServiceReady, READY_POLL_MS } from '../engine/readiness';
import { StackManager } from '../engine/stack-manager';
import { LABEL_PROJECT, type ServiceSpec, type StackSpec } from '../spec/stack-spec';
import { testStackSettings } from '../testing/test-settings';

const run = promisify(execFile);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const COMPOSE_PROJECT_LABEL = 'com.docker.compose.project';

/** The console's own probe and interval, so both sides wait for readiness alike. */
async function waitReady(docker: Docker, spec: StackSpec): Promise<void> {
  for (const s of spec.services) {
    while (!(await isServiceReady(docker, s))) await new Promise((r) => setTimeout(r, READY_POLL_MS));
  }
}

/** What a service mounts: its rendered config read-only, its data volume, and further bind mounts (a models directory). */
function composeVolumes(s: ServiceSpec): string[] {
  return [
    ...(s.configDir && s.configTarget ? [`${s.configDir}:${s.configTarget}:ro`] : []),
    ...(s.volumeName && s.dataTarget ? [`${s.service}-data:${s.dataTarget}`] : []),
    ...s.mounts.map((m) => `${m.Source}:${m.Target}${m.ReadOnly ? ':ro' : ''}`),
  ];
}

/** The compose file a user would write for the same stack; a built image (the inference service's) runs as `builtImage`. */
function composeFile(spec: StackSpec, builtImage: string): string {
  const services = Object.fromEntries(
    spec.services.map((s, i) => {
      const volumes = composeVolumes(s);
      return [
        s.service,
        {
          image: s.build ? builtImage : s.image,
          command: s.cmd.length ? s.cmd : undefined,
          user: s.user,
          environment: s.env.length ? s.env : undefined,
          ports: s.hostPort === null ? undefined : [`127.0.0.1:${s.hostPort}:${s.containerPort}`],
          volumes: volumes.length ? volumes : undefined,
          extra_hosts: ['host.docker.internal:host-gateway'],
          // Prometheus talks to every service before it in the console's start order.
          depends_on: s.service === 'prometheus' ? spec.services.slice(0, i).map((d) => d.service) : undefined,
        },
      ];
    }),
  );
  const volumes = Object.fromEntries(spec.services.filter((s) => s.volumeName).map((s) => [`${s.service}-data`, {}]));
  return stringify({ version: '3.8', services, volumes });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Containers, networks and volumes either side left behind (none, after a clean run). */
async function leftovers(docker: Docker, labels: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const label of labels) {
    const filters = JSON.stringify({ label: [label] });
    for (const c of await docker.listContainers({ all: true, filters })) found.push(`container ${c.Names[0]}`);
    for (const n of await docker.listNetworks({ filters })) found.push(`network ${n.Name}`);
    for (const v of (await docker.listVolumes({ filters })).Volumes ?? []) found.push(`volume ${v.Name}`);
  }
  return found;
}

async function main(): Promise<void> {
  await run('docker-compose', ['version']).catch(() => {
    throw new Error('docker-compose is not installed: apt-get install docker-compose');
  });
  const docker = new Docker();
  const root = appRoot();
  const settings = await testStackSettings('bench', { inference: true });
  const manager = new StackManager({ settings, docker, appRoot: root });
  const spec = await manager.plan();
  const composeProject = `${spec.project}-compose`;
  const composeDir = await mkdtemp(join(tmpdir(), 'rx580-bench-compose-'));
  const composeYml = join(composeDir, 'docker-compose.yml');
  const compose = (...args: string[]) => run('docker-compose', ['-p', composeProject, '-f', composeYml, ...args]);

  const consoleTimes: number[] = [];
  const composeTimes: number[] = [];
  try {
    // Untimed: the inference image (built here unless its tag exists), and one console start,
    // which renders the config files both sides then mount.
    const image = await buildInferenceImage(docker, { appRoot: root, baseImage: settings.inference.baseImage });
    await manager.up();
    await manager.down();
    await writeFile(composeYml, composeFile(spec, image));
    console.log(`services: ${spec.services.map((s) => s.id).join(', ')}; inference image ${image}`);

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
      await waitReady(docker, spec);
      composeTimes.push(performance.now() - t);
      await compose('down', '-v');
      console.log(`round ${round}: console ${consoleTimes.at(-1)!.toFixed(0)} ms, compose ${composeTimes.at(-1)!.toFixed(0)} ms`);
    }
  } finally {
    await manager.down().catch(() => undefined);
    await manager.removeData().catch(() => undefined);
    await compose('down', '-v').catch(() => undefined);
    await rm(composeDir, { recursive: true, force: true });
    await rm(settings.dataDir, { recursive: true, force: true });
    const left = await leftovers(docker, [`${LABEL_PROJECT}=${spec.project}`, `${COMPOSE_PROJECT_LABEL}=${composeProject}`]);
    console.log(`left behind: ${left.length ? left.join(', ') : 'nothing'}`);
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
