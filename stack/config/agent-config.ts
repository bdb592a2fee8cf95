import { parse, stringify } from 'yaml';
import { ConsoleError } from '../console-error';
import { LOCAL_RIG } from './inference-targets';
import { renderPrometheusConfig, type CardSlot } from './prometheus-config';
import type { Settings } from '../../electron/api/schemas/settings';

/**
 * The "Prometheus in agent mode per rig" layout, for fleets too large for one scraper: each rig
 * scrapes its own services and remote_writes to the central store, which alone evaluates rules
 * and alerts. An agent keeps only a write-ahead log (no queries), so a central store is required.
 */

/** The agent's flags for a Prometheus version (an image tag): `--agent` from 3.0, a feature flag in 2.x. */
export function agentCommand(version: string | null): string[] {
  const major = Number(/^v?(\d+)\./.exec(version ?? '')?.[1]);
  return [
    '--config.file=/etc/prometheus/prometheus.yml',
    // The official image's data path: the WAL buffers samples while the store is unreachable.
    '--storage.agent.path=/prometheus',
    '--web.enable-lifecycle',
    major < 3 ? '--enable-feature=agent' : '--agent',
  ];
}

type PrometheusYml = { global: Record<string, unknown>; remote_write?: Record<string, unknown>[]; [key: string]: unknown };

/**
 * prometheus.yml for one rig's agent: the rig's own jobs as the stack renders them, with no
 * rule_files and no alerting (agent mode refuses both), `external_labels: { rig }`, and the
 * targets' `rig="local"` (each rig is local to itself) renamed to the rig on the way out.
 */
export function renderAgentConfig(settings: Settings, rig: string, cards: CardSlot[] = []): string {
  if (!settings.prometheus.remoteWrite.enabled) {
    throw new ConsoleError('AGENT_NEEDS_REMOTE_WRITE', 'An agent keeps no storage to query: enable prometheus.remoteWrite, pointing at the central store.', 400);
  }
  if (!/^[a-z0-9][a-z0-9-]{0,30}$/.test(rig) || rig === LOCAL_RIG) {
    throw new ConsoleError('AGENT_RIG_NAME', `"${rig}" cannot name a rig's agent: lowercase letters, digits and dashes, and not "${LOCAL_RIG}" (the central console's own rig).`, 400);
  }
  const config = parse(renderPrometheusConfig(settings, cards)) as PrometheusYml;
  delete config.rule_files;
  delete config.alerting;
  delete config.global.evaluation_interval;
  config.global.external_labels = { rig };
  // External labels never replace a target's own label, so the rename happens in write relabeling.
  for (const target of config.remote_write ?? []) {
    target.write_relabel_configs = [{ source_labels: ['rig'], regex: LOCAL_RIG, target_label: 'rig', replacement: rig }];
  }
  return stringify(config);
}
