import type { ServiceName, ServiceStatus } from '../../../electron/api/schemas/stack-status';

/** Why a service is not there to scrape, for each source a panel can have. */
const OFF: Partial<Record<ServiceName, string>> = {
  inference: 'The inference service is switched off in Settings, so nothing reports these series.',
  'node-exporter':
    "node_exporter is switched off in Settings. It is off by default on Docker Desktop (macOS, Windows): a container there sees Docker's VM, not this computer, so its numbers would not be yours.",
};

/** What to show instead of a panel whose source service is switched off; null while it is on. */
export function sourceOffReason(source: ServiceName | undefined, services: ServiceStatus[] | undefined): string | null {
  if (!source || !services) return null;
  const on = services.some((s) => s.name === source && s.enabled);
  return on ? null : (OFF[source] ?? `${source} is switched off in Settings.`);
}
