import type { CreateSilenceInput } from '../../../electron/api/monitoring-contract';
import type { ServiceStatus } from '../../../electron/api/schemas/stack-status';
import { silenceForAlert } from './silence-form';

/** An inference worker, or the one host process, that a maintenance silence can cover. */
export interface MaintenanceTarget {
  /** The status id (`inference-card0`), to pick it by. */
  id: string;
  title: string;
  /**
   * One silence per entry, with what it covers: a silence's matchers must all match, so "this
   * label or that one" takes two silences.
   */
  scopes: { labels: Record<string, string>; covers: string }[];
}

const CARD = /^card\d+$/;
const TARGET_ALERTS = 'the alerts on its scrape target: WorkerDown, ContainerRestarting, PrometheusTargetDown, HighMemoryUsage';
/** What no maintenance silence covers, said beside the form. */
export const NOT_COVERED = 'Alerts over all workers together (APIDown, error rate, latency, request rate, slow inference, model loads) name no worker and stay on: silence them from the Now or History tab.';

/**
 * The labels that mark every alert of a worker. Prometheus labels each worker's scrape target
 * `gpu="<worker>"` (`cpu` for a lone CPU worker; stack/config/prometheus-config.ts), so every alert
 * on that target carries it: WorkerDown, ContainerRestarting, PrometheusTargetDown,
 * HighMemoryUsage. A card's own series from node_exporter carry `card="<card>"` instead, hence a
 * second silence for a GPU worker. The host process's target has no `gpu`, only
 * `service="inference"`, and is the only one with it. Alerts over every worker together
 * (APIDown, error rate, latency, request rate, slow inference, model loads) name no worker and
 * are not covered.
 */

export function maintenanceTargets(services: readonly ServiceStatus[]): MaintenanceTarget[] {
  return services
    .filter((s) => s.name === 'inference' && s.enabled)
    .map((s) => {
      if (s.runtime === 'host') return { id: s.id, title: 'Inference service (host process)', scopes: [{ labels: { service: 'inference' }, covers: TARGET_ALERTS }] };
      const worker = s.worker ?? 'cpu';
      const target = { labels: { gpu: worker }, covers: TARGET_ALERTS };
      return CARD.test(worker)
        ? { id: s.id, title: `GPU worker ${worker}`, scopes: [target, { labels: { card: worker }, covers: `alerts on the card's own series from node_exporter` }] }
        : { id: s.id, title: worker === 'cpu' ? 'CPU worker' : `CPU worker ${worker}`, scopes: [target] };
    });
}

/** The silences that put a target in maintenance for a while: one per label set, each with the same comment. */
export function maintenanceSilences(target: MaintenanceTarget, durationSeconds: number, comment: string): CreateSilenceInput[] {
  return target.scopes.map(({ labels }) => silenceForAlert(labels, durationSeconds, comment));
}
