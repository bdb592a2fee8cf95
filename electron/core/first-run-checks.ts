import type Docker from 'dockerode';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { FirstRunCheck } from '../api/schemas/first-run';
import { connectDocker, engineEndpoint } from '../../stack/engine/docker-engine';
import type { Settings } from '../api/schemas/settings';
import { isPortFree } from '../../stack/engine/port-check';
import { listAvailableModels, resolveModelsDir } from '../../inference/models-dir';


export interface FirstRunCheckOptions {
  settings: Settings;
  env?: NodeJS.ProcessEnv;
  docker?: Docker;
  /** Ports the console's own containers or processes hold already: taken, but by us. */
  ownPorts?: ReadonlySet<number>;
  platform?: NodeJS.Platform;
}

const pass = (id: string, title: string, detail: string): FirstRunCheck => ({ id, ok: true, title, detail, fix: null });
const fail = (id: string, title: string, detail: string, fix: string): FirstRunCheck => ({ id, ok: false, title, detail, fix });

function onPath(command: string, env: NodeJS.ProcessEnv, platform: NodeJS.Platform): boolean {
  const names = platform === 'win32' ? [`${command}.exe`] : [command];
  return (env.PATH ?? '').split(delimiter).some((dir) => dir && names.some((n) => existsSync(join(dir, n))));
}

/** Docker answers, and this user may talk to it; otherwise which of the usual causes it is. */
export async function checkDocker({ env = process.env, docker, platform = process.platform }: FirstRunCheckOptions): Promise<FirstRunCheck> {
  const title = 'Docker engine';
  const endpoint = engineEndpoint(env);
  try {
    const version = await (docker ?? connectDocker(env)).version();
    return pass('docker', title, `Docker ${version.Version} answers at ${endpoint}.`);
  } catch (err) {
    return dockerFailure(err as NodeJS.ErrnoException, { endpoint, env, platform });
  }
}

/** Turns a failed connection into its cause and the fix. */
function dockerFailure(err: NodeJS.ErrnoException, { endpoint, env, platform }: { endpoint: string; env: NodeJS.ProcessEnv; platform: NodeJS.Platform }): FirstRunCheck {
  const title = 'Docker engine';
  if (err.code === 'EACCES' || err.code === 'EPERM') {
    return fail(
      'docker',
      title,
      `Permission denied on the Docker socket (${endpoint}): your user is not in the docker group.`,
      'Run `sudo usermod -aG docker $USER`, then log out and back in (or run `newgrp docker`) and start the console again.',
    );
  }
  const socket = /^unix:\/\/(.+)$/.exec(endpoint)?.[1];
  const socketMissing = socket !== undefined && !existsSync(socket);
  if (socketMissing && !onPath('docker', env, platform)) {
    return fail(
      'docker',
      title,
      'Docker is not installed: there is no docker command and no Docker socket.',
      platform === 'linux'
        ? 'Install Docker Engine (`sudo apt install docker.io` on Debian and Ubuntu, or see https://docs.docker.com/engine/install/), then start the console again.'
        : 'Install Docker Desktop (https://docs.docker.com/desktop/), start it, then start the console again.',
    );
  }
  return fail(
    'docker',
    title,
    `Docker is installed but does not answer at ${endpoint} (${err.code ?? err.message}).`,
    platform === 'linux' ? 'Start it with `sudo systemctl start docker`, or set DOCKER_HOST to where it listens.' : 'Start Docker Desktop, or set DOCKER_HOST to where the engine listens.',
  );
}

/** Each port the console will publish or listen on is free, or already held by the console itself. */
export async function checkPorts({ settings, ownPorts = new Set() }: FirstRunCheckOptions): Promise<FirstRunCheck[]> {
  const wanted: { setting: string; port: number; what: string }[] = [
    ...(['prometheus', 'alertmanager', 'grafana'] as const).filter((s) => settings[s].enabled).map((s) => ({ setting: `${s}.port`, port: settings[s].port, what: s })),
    ...(settings.inference.enabled ? [{ setting: 'inference.port', port: settings.inference.port, what: 'the inference service' }] : []),
    ...(settings.nodeExporter.enabled && settings.nodeExporter.publish ? [{ setting: 'nodeExporter.port', port: settings.nodeExporter.port, what: 'node_exporter' }] : []),
  ];
  return Promise.all(
    wanted.map(async ({ setting, port, what }) => {
      const id = `port:${setting}`;
      const title = `Port ${port} (${setting})`;
      if (ownPorts.has(port) || (await isPortFree(port))) return pass(id, title, `Port ${port} is free for ${what}.`);
      return fail(id, title, `Port ${port} on 127.0.0.1 is taken by another program, so ${what} cannot use it.`, `Stop the program that uses port ${port}, or pick a free port for ${setting} in Settings.`);
    }),
  );
}

/** The models folder has an .onnx model where the inference service looks (its top level). */
export async function checkModels({ settings }: FirstRunCheckOptions): Promise<FirstRunCheck> {
  const title = 'Models';
  const custom = settings.inference.modelsDir;
  const dir = resolveModelsDir(custom);
  const models = await listAvailableModels(dir).catch(() => null);
  if (models?.length) return pass('models', title, `${models.length} .onnx model${models.length === 1 ? '' : 's'} in ${dir}.`);
  const found = models === null ? `${dir} cannot be read` : `${dir} has no .onnx model`;
  return fail(
    'models',
    title,
    custom ? `The models folder is empty: ${found}.` : `The demo models are missing from this installation: ${found}.`,
    custom ? `Copy .onnx models into ${dir} (not into subfolders), or choose another folder for inference.modelsDir in Settings.` : 'Choose a folder with .onnx models for inference.modelsDir in Settings, or reinstall the console.',
  );
}

/** Everything a first start needs, each with a fix; the Overview shows the failed ones. */
export async function runFirstRunChecks(options: FirstRunCheckOptions): Promise<FirstRunCheck[]> {
  const [docker, ports, models] = await Promise.all([checkDocker(options), checkPorts(options), checkModels(options)]);
  return [docker, ...ports, ...(options.settings.inference.enabled ? [models] : [])];
}
