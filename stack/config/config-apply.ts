import type Docker from 'dockerode';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ConsoleError } from '../console-error';
import { packDirectory } from '../engine/dir-archive';
import { demuxDockerLog } from '../engine/docker-log';
import { LABEL_HELPER, LABEL_PROJECT, SECRETS_TARGET, type ServiceSpec } from '../spec/stack-spec';

/** Files of one service's config directory, by path relative to it. */
export type ConfigFiles = Record<string, string>;

/** The service's own tool or reload refused a config: the previous one stays live, and the user is told why. */
export class ConfigRejectedError extends ConsoleError {
  override name = 'ConfigRejectedError';
  constructor(
    readonly service: string,
    readonly stage: 'validate' | 'reload',
    readonly detail: string,
  ) {
    super(
      'CONFIG_REJECTED',
      stage === 'validate' ? `${service} refused the new configuration: ${detail}` : `${service} failed to reload the new configuration, so the previous one was restored: ${detail}`,
      422,
    );
  }
}

/** Checks a staged config directory; resolves with null when valid, else with the tool's complaint. */
export type ConfigValidator = (spec: ServiceSpec, stagingDir: string, files: ConfigFiles) => Promise<string | null>;

const STAGING = '.staging';

/** The check each service's own tooling makes, by the entry file of its config directory. */
const CHECKS: Partial<Record<ServiceSpec['service'], { tool: string; args: (file: string) => string[]; entry: string }>> = {
  prometheus: { tool: '/bin/promtool', args: (f) => ['check', 'config', f], entry: 'prometheus.yml' },
  alertmanager: { tool: '/bin/amtool', args: (f) => ['check-config', f], entry: 'alertmanager.yml' },
};

/**
 * Validates with promtool or amtool from the service's own image, in a throw-away container that
 * sees the staged files at the path the service will: the check is made by exactly the version
 * that will load the config, and needs nothing installed on the host.
 */
export function imageToolValidator(docker: Docker, project: string): ConfigValidator {
  return async (spec, stagingDir) => {
    const check = CHECKS[spec.service];
    if (!check) return null;
    const target = `${spec.configTarget}/${STAGING}`;
    // promtool checks that the key and CA files a scrape job names exist: it sees the service's secrets as the service does.
    const secrets = spec.secretsVolume && (await docker.getVolume(spec.secretsVolume).inspect().then(() => true, () => false));
    const container = await docker.createContainer({
      Image: spec.image,
      Labels: { [LABEL_PROJECT]: project, [LABEL_HELPER]: 'config-check' },
      Entrypoint: [check.tool],
      Cmd: check.args(`${target}/${check.entry}`),
      User: spec.user,
      NetworkDisabled: true,
      HostConfig: {
        ...(secrets ? { Mounts: [{ Type: 'volume' as const, Source: spec.secretsVolume!, Target: SECRETS_TARGET, ReadOnly: true }] } : {}),
        AutoRemove: false,
      },
    });
    try {
      // Copied in, not bind-mounted: the engine may be a rig's, where no path of this machine exists.
      await container.putArchive(await packDirectory(stagingDir, { prefix: STAGING }), { path: spec.configTarget! });
      await container.start();
      const { StatusCode } = (await container.wait()) as { StatusCode: number };
      if (StatusCode === 0) return null;
      const raw = await container.logs({ stdout: true, stderr: true, follow: false });
      return demuxDockerLog(raw).trim() || `${check.tool} exited with ${StatusCode}`;
    } finally {
      // With its volumes: the image's own VOLUME would otherwise leave an anonymous one behind.
      await container.remove({ force: true, v: true }).catch(() => undefined);
    }
  };
}

export interface ConfigApplierOptions {
  validate: ConfigValidator;
  /** Reloads the running service; resolves with null on success, else the reason. Absent when the
   *  service is not running: the files then take effect at its next start. */
  reload: ((spec: ServiceSpec) => Promise<string | null>) | null;
  /** Carries the config directory to where the service reads it, when that is not the directory
   *  itself (a volume on a rig); called after each swap, before the reload. */
  deliver?: () => Promise<void>;
}

async function readIfExists(file: string): Promise<string | null> {
  return readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return null;
    throw err;
  });
}

/** Writes a config file by temp file + rename, so a reader never sees half of it. */
export async function writeAtomic(file: string, content: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true, mode: 0o755 });
  const tmp = `${file}.${process.pid}.tmp`;
  // World-readable: the container's user (65534 or 472) must read the bind-mounted files.
  await writeFile(tmp, content, { mode: 0o644 });
  await rename(tmp, file);
}

/**
 * Applies a new config to one service without restarting it: stage, validate, swap each file in
 * by rename, reload, and on a failed reload put the previous files back and reload again.
 */
export async function applyConfig(spec: ServiceSpec, files: ConfigFiles, options: ConfigApplierOptions): Promise<void> {
  const { configDir } = spec;
  if (!configDir) throw new ConsoleError('NO_CONFIG', `${spec.id} takes no config files.`, 400);
  const stagingDir = join(configDir, STAGING);
  await rm(stagingDir, { recursive: true, force: true });
  try {
    for (const [rel, content] of Object.entries(files)) await writeAtomic(join(stagingDir, rel), content);
    const problem = await options.validate(spec, stagingDir, files);
    if (problem) throw new ConfigRejectedError(spec.service, 'validate', problem);
  } finally {
    await rm(stagingDir, { recursive: true, force: true });
  }

  const previous = new Map<string, string | null>();
  for (const rel of Object.keys(files)) previous.set(rel, await readIfExists(join(configDir, rel)));
  for (const [rel, content] of Object.entries(files)) await writeAtomic(join(configDir, rel), content);
  await options.deliver?.();
  if (!options.reload) return;

  const failure = await options.reload(spec);
  if (!failure) return;
  for (const [rel, content] of previous) {
    if (content === null) await rm(join(configDir, rel), { force: true });
    else await writeAtomic(join(configDir, rel), content);
  }
  await options.deliver?.();
  await options.reload(spec);
  throw new ConfigRejectedError(spec.service, 'reload', failure);
}

/**
 * POST /-/reload, then confirm from the service's own metric that the reload it just did
 * succeeded (a 200 alone is not trusted: Prometheus may have taken only part of a change).
 */
export async function reloadOverHttp(spec: ServiceSpec): Promise<string | null> {
  const base = `http://127.0.0.1:${spec.hostPort}`;
  const res = await fetch(`${base}/-/reload`, { method: 'POST', signal: AbortSignal.timeout(30_000) });
  const text = (await res.text()).trim();
  if (!res.ok) return text || `reload answered ${res.status}`;
  const metrics = await (await fetch(`${base}/metrics`, { signal: AbortSignal.timeout(10_000) })).text();
  const metric = spec.service === 'prometheus' ? 'prometheus_config_last_reload_successful' : 'alertmanager_config_last_reload_successful';
  const value = new RegExp(`^${metric} (\\S+)$`, 'm').exec(metrics)?.[1];
  return value === '1' ? null : `${metric} is ${value ?? 'missing'} after the reload`;
}
