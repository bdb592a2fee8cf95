// The inference service as the console runs it (inferenceWorkerSpecs + containerCreateOptions: same
// command, env, user, healthcheck, network and 127.0.0.1 port binding), for bench:inference. The
// bench builds the image, starts one CPU worker and removes it, its network and its volumes after.
import type Docker from 'dockerode';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { lastLogLines } from '../../stack/engine/container-logs';
import { buildInferenceImage } from '../../stack/engine/inference-image';
import { inferenceWorkerSpecs } from '../../stack/spec/inference-spec';
import { applyEnvOverrides, parseSettings } from '../../electron/settings/settings-file';
import { containerCreateOptions, LABEL_PROJECT, type StackSpec } from '../../stack/spec/stack-spec';
import { HEALTH_PATH } from '../api-types';
import { answersReady } from '../json-http';

const APP_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const READY_TIMEOUT_MS = 60_000;
const POLL_MS = 250;

export interface ServiceContainer {
  /** Through the published port on 127.0.0.1 (Docker's userland proxy in the path). */
  publishedUrl: string;
  /** At the container's own address on its network: no proxy. */
  directUrl: string;
  /** The command, environment and user it runs with, for the report. */
  config: string;
}

/** Builds the image unless its tag exists (untimed), on `inference.baseImage` (here the local base stack/test-images/build.sh names). */
export function ensureImage(docker: Docker): Promise<string> {
  return buildInferenceImage(docker, {
    appRoot: APP_ROOT,
    baseImage: parseSettings(applyEnvOverrides({}, process.env)).inference.baseImage,
    onProgress: (p) => process.stderr.write(`  inference image: step ${p.current}/${p.total} ${p.message}\n`),
  });
}

/** The console's container for one CPU worker with the bench's limits: cpu only, 256 at once, both demo models. */
function benchStack(project: string, image: string, port: number): { stack: StackSpec; containerPort: number; options: Docker.ContainerCreateOptions } {
  const settings = parseSettings({
    project,
    inference: { image, port, gpus: 'none', providers: ['cpu'], maxConcurrent: 256, preload: ['digits.onnx', 'latency-convnet.onnx'] },
  });
  const [spec] = inferenceWorkerSpecs(settings, []);
  const stack: StackSpec = { project, networkName: `${project}-net`, services: [spec!] };
  return { stack, containerPort: spec!.containerPort, options: containerCreateOptions(spec!, stack) };
}

async function waitHealthy(url: string, container: Docker.Container): Promise<void> {
  for (const deadline = Date.now() + READY_TIMEOUT_MS; Date.now() < deadline; ) {
    const ok = await answersReady(`${url}${HEALTH_PATH}`);
    if (ok) return;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  throw new Error(`the inference container did not answer /health within ${READY_TIMEOUT_MS / 1000} s:\n${await lastLogLines(container)}`);
}

/** Everything of this run is labelled with its own project, so cleaning up needs no record of what got created. */
const benchProject = () => `rx580-bench-${process.pid}`;

/** Removes this run's containers (with their volumes) and network, whatever stage the run stopped at. */
export async function removeBenchResources(docker: Docker): Promise<void> {
  const filters = JSON.stringify({ label: [`${LABEL_PROJECT}=${benchProject()}`] });
  for (const c of await docker.listContainers({ all: true, filters })) await docker.getContainer(c.Id).remove({ force: true, v: true }).catch(() => undefined);
  for (const n of await docker.listNetworks({ filters })) await docker.getNetwork(n.Id).remove().catch(() => undefined);
}

/** Starts the container on a network of its own; removeBenchResources removes both. */
export async function startServiceContainer(docker: Docker, image: string, port: number): Promise<ServiceContainer> {
  const project = benchProject();
  const { stack, containerPort, options } = benchStack(project, image, port);
  await docker.createNetwork({ Name: stack.networkName, Driver: 'bridge', Labels: { [LABEL_PROJECT]: project } });
  const container = await docker.createContainer(options);
  await container.start();
  const publishedUrl = `http://127.0.0.1:${port}`;
  await waitHealthy(publishedUrl, container);
  const ip = (await container.inspect()).NetworkSettings.Networks[stack.networkName]?.IPAddress;
  if (!ip) throw new Error(`the inference container has no address on ${stack.networkName}`);
  const config = `${options.Cmd?.join(' ')}; ${options.Env?.join(' ')}; user ${options.User}`;
  return { publishedUrl, directUrl: `http://${ip}:${containerPort}`, config };
}

/** Whether Docker's userland proxy relays this published port (a `docker-proxy -host-port N` process), for the report. */
export async function userlandProxyFor(port: number): Promise<string> {
  const pids = (await readdir('/proc').catch(() => [])).filter((p) => /^\d+$/.test(p));
  for (const pid of pids) {
    const args = (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).split('\0');
    if (args[0]?.endsWith('docker-proxy') && args[args.indexOf('-host-port') + 1] === String(port)) return `docker-proxy (pid ${pid}) relays it`;
  }
  return 'no docker-proxy relays it (the engine NATs it in the kernel)';
}
