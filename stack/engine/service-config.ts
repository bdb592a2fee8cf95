import type Docker from 'dockerode';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { FILE_SD_DIR } from '../config/inference-targets';
import { renderAlertmanagerConfig } from '../config/alertmanager-config';
import { applyConfig, imageToolValidator, writeAtomic, reloadOverHttp, type ConfigFiles, type ConfigValidator } from '../config/config-apply';
import { grafanaAdminPassword } from '../config/grafana-admin';
import { grafanaProvisioningFiles } from '../config/grafana-provisioning';
import { prometheusConfigFiles } from '../config/prometheus-config';
import { remoteWriteSecrets } from '../config/remote-write';
import type { Settings } from '../../electron/api/schemas/settings';
import type { StoredRig } from '../../electron/api/schemas/rigs';
import type { MonitoringService, ServiceName } from '../../electron/api/schemas/stack-status';
import { ConsoleError } from '../console-error';
import { StackError } from './stack-errors';
import { imageTag, secretsDirFor, type ServiceSpec, type StackSpec } from '../spec/stack-spec';
import { writeVolumeSecrets, type VolumeSecret } from './volume-secrets';
import { packDirectory } from './dir-archive';
import { CARRIER_MOUNT, withVolumeCarrier } from './volume-carrier';

/** Renders Alertmanager's files for the version its image will run (null when the tag does not say). */
export type AlertmanagerConfigSource = (version: string | null) => Promise<{ files: ConfigFiles; secrets: ServiceSecret[] }>;
export type ServiceSecret = Omit<VolumeSecret, 'uid' | 'gid'>;

export interface ServiceConfigOptions {
  docker: Docker;
  settings: Settings;
  /** Checks a config before it is applied; defaults to promtool/amtool from the service's image. */
  validateConfig?: ConfigValidator;
  /** Alertmanager's config and secret files (the notification settings); default: no receivers. */
  alertmanagerConfig?: AlertmanagerConfigSource;
  /** The rigs besides this machine, whose workers Prometheus scrapes too. */
  rigs?: () => Promise<StoredRig[]>;
  /** What Prometheus reads to scrape those rigs (each one's API key, the CA): in its secrets volume before its first start. */
  rigSecrets?: () => Promise<ServiceSecret[]>;
  /** Where the remote_write secret is read (REMOTE_WRITE_SECRET_ENV); default: this process's environment. */
  env?: NodeJS.ProcessEnv;
}

/**
 * The monitoring services' config files and secrets: rendered into their config directories and
 * secrets volumes before a start, and swapped in live while they run.
 */
export class ServiceConfig {
  /** Rendered with Alertmanager's config, written once its image is there (the secrets carrier runs it). */
  private alertmanagerSecrets: ServiceSecret[] = [];
  /** Read with Prometheus's config, so a missing secret fails before any image or container. */
  private prometheusSecrets: ServiceSecret[] = [];

  constructor(private readonly options: ServiceConfigOptions) {}

  /** Renders the config files of these services into their config directories; `stoppedWorkers` stay out of Prometheus's targets. */
  async write(stack: StackSpec, specs: ServiceSpec[], stoppedWorkers: ReadonlySet<string> = new Set()): Promise<void> {
    const { settings } = this.options;
    const files: Partial<Record<ServiceName, () => Promise<ConfigFiles>>> = {
      prometheus: async () => {
        this.prometheusSecrets = [...remoteWriteSecrets(settings, this.options.env ?? process.env), ...((await this.options.rigSecrets?.()) ?? [])];
        return prometheusConfigFiles(settings, stack, (await this.options.rigs?.()) ?? [], stoppedWorkers);
      },
      alertmanager: async () => {
        const alertmanager = this.options.alertmanagerConfig
          ? await this.options.alertmanagerConfig(imageTag(settings.alertmanager.image))
          : { files: { 'alertmanager.yml': renderAlertmanagerConfig() }, secrets: [] };
        this.alertmanagerSecrets = alertmanager.secrets;
        return alertmanager.files;
      },
      grafana: async () => grafanaProvisioningFiles(settings),
    };
    for (const spec of specs) {
      const render = files[spec.service];
      if (!render || !spec.configDir) continue;
      for (const [file, content] of Object.entries(await render())) await writeAtomic(join(spec.configDir, file), content);
      if (spec.service === 'prometheus') await mkdir(join(spec.configDir, FILE_SD_DIR), { recursive: true, mode: 0o755 });
    }
  }

  /**
   * Carries each service's config directory into its config volume, when it has one (the stack
   * runs on a rig). Files are added and replaced, never removed: a file the console deletes here
   * is one no config names any more (a removed rig's targets, a rolled-back addition).
   */
  async deliver(stack: StackSpec, specs: ServiceSpec[]): Promise<void> {
    for (const spec of specs) {
      const { configVolume, configDir } = spec;
      if (!configVolume || !configDir) continue;
      const archive = await packDirectory(configDir, { skip: (name) => name.startsWith('.') || name.endsWith('.tmp') });
      await withVolumeCarrier(this.options.docker, { volume: configVolume, project: stack.project, image: spec.image, helper: 'config-carrier' }, (carrier) =>
        carrier.putArchive(archive, { path: CARRIER_MOUNT }),
      );
    }
  }

  /** Writes one file of a service's config directory (atomically) and carries it to the service. */
  async writeFile(stack: StackSpec, spec: ServiceSpec, file: string, content: string): Promise<void> {
    if (!spec.configDir) throw new ConsoleError('NO_CONFIG', `${spec.id} takes no config files.`, 400);
    await writeAtomic(join(spec.configDir, file), content);
    await this.deliver(stack, [spec]);
  }

  /** Puts each service's secrets into its secrets volume, readable by that service's user only. */
  async writeSecrets(stack: StackSpec, specs: ServiceSpec[]): Promise<void> {
    const has = (service: ServiceName) => specs.some((s) => s.service === service);
    if (has('grafana')) {
      await this.putSecrets(stack, 'grafana', [{ name: 'grafana-admin-password', content: await grafanaAdminPassword(secretsDirFor(this.options.settings)) }]);
    }
    if (has('alertmanager') && this.alertmanagerSecrets.length) await this.putSecrets(stack, 'alertmanager', this.alertmanagerSecrets);
    if (has('prometheus') && this.prometheusSecrets.length) await this.putSecrets(stack, 'prometheus', this.prometheusSecrets);
  }

  /** Writes files into a service's secrets volume, readable by that service's user only (a running container sees them at once). */
  async putSecrets(stack: StackSpec, service: MonitoringService, secrets: ServiceSecret[]): Promise<void> {
    const spec = stack.services.find((s) => s.service === service);
    if (!spec?.secretsVolume) throw new StackError('SERVICE_MISSING', `${service} is switched off in the settings.`);
    await writeVolumeSecrets(this.options.docker, {
      volume: spec.secretsVolume,
      project: stack.project,
      image: spec.image,
      secrets: secrets.map((s) => ({ ...s, uid: Number(spec.user) })),
    });
  }

  /** Validates and swaps in new files; a running service reloads them, a stopped one reads them on start. */
  async apply(stack: StackSpec, spec: ServiceSpec, files: ConfigFiles, running: boolean): Promise<void> {
    await applyConfig(spec, files, {
      validate: this.options.validateConfig ?? imageToolValidator(this.options.docker, stack.project),
      reload: running ? reloadOverHttp : null,
      deliver: () => this.deliver(stack, [spec]),
    });
  }
}
