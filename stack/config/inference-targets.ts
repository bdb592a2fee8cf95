import type { Settings } from '../../electron/api/schemas/settings';
import { workerName, type StackSpec } from '../spec/service-spec';

/** The rig the console's own engine is: every target of this machine's carries `rig="local"`. */
export const LOCAL_RIG = 'local';

/** The container-side name of the host, as the stack's containers see it (ExtraHosts `host-gateway`). */
export const DOCKER_HOST_ALIAS = 'host.docker.internal';

/**
 * Where the inference workers' scrape targets live, relative to prometheus.yml: a
 * `file_sd_configs` file, which Prometheus watches and re-reads on change by itself, so adding
 * or removing a worker needs no reload and no console process at run time.
 */
/** Where Prometheus's file_sd files live in its config directory. It must exist when Prometheus
 *  starts: a file_sd folder that is missing then gets no watch, and a file made later is seen only
 *  at the next refresh (5 minutes). */
export const FILE_SD_DIR = 'targets';
export const INFERENCE_TARGETS_FILE = `${FILE_SD_DIR}/inference.json`;

/** One entry of a file_sd file (Prometheus's `<static_config>` as JSON). */
export interface TargetGroup {
  targets: string[];
  labels: Record<string, string>;
}

/**
 * The inference targets: each worker container by its alias on the stack network, labelled with
 * its rig and GPU (`card0`, or `cpu`); in host mode the one host process through the host
 * gateway, whose GPUs the console does not assign. No `model` label: the service's own series carry `model` already, and a target label
 * of the same name would rename theirs to `exported_model` and break every per-model query.
 */
export function inferenceTargetGroups(settings: Settings, stack: StackSpec): TargetGroup[] {
  const labels = { service: 'inference', rig: LOCAL_RIG };
  if (settings.inference.runtime === 'host') return [{ targets: [`${DOCKER_HOST_ALIAS}:${settings.inference.port}`], labels }];
  return stack.services
    .filter((s) => s.service === 'inference')
    .map((s) => ({ targets: [`${s.id}:${s.containerPort}`], labels: { ...labels, gpu: workerName(s.worker) } }));
}

/** The file_sd file's text: JSON, one group a line, so a diff shows which worker came or went. */
export function renderInferenceTargets(groups: TargetGroup[]): string {
  return `[\n${groups.map((g) => `  ${JSON.stringify(g)}`).join(',\n')}\n]\n`;
}
