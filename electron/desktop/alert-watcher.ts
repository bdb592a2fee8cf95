import { EventEmitter } from 'node:events';
import type { PrometheusAlert } from '../../stack/clients/prometheus-client';

export interface AlertTransition {
  kind: 'firing' | 'resolved';
  name: string;
  severity: string | null;
  summary: string | null;
  labels: Record<string, string>;
}

export interface AlertSource {
  alerts(): Promise<PrometheusAlert[]>;
}

export interface AlertWatcherOptions {
  /** Prometheus's /api/v1/alerts, through stack/prometheus-client.ts. */
  source: AlertSource;
  intervalMs?: number;
}

// Not 'error': an emitter throws an 'error' nobody listens to, and an unreachable Prometheus is routine.
type Events = { transition: [AlertTransition]; unreachable: [Error] };

/** One key per alert instance: its full label set, in a stable order. */
const keyOf = (labels: Record<string, string>) => JSON.stringify(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)));

/**
 * Polls Prometheus's active alerts and emits a transition when an alert starts firing (pending
 * does not count) or stops firing. What fires at the first answer is the baseline, not news.
 * While Prometheus does not answer, nothing is declared resolved: silence is not recovery.
 */
export class AlertWatcher extends EventEmitter<Events> {
  private firing: Map<string, PrometheusAlert> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private polling: Promise<AlertTransition[]> | null = null;
  private failing = false;

  constructor(private readonly options: AlertWatcherOptions) {
    super();
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.poll(), this.options.intervalMs ?? 5000);
    void this.poll();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.firing = null;
  }

  /** One poll; overlapping calls share the one in flight. */
  poll(): Promise<AlertTransition[]> {
    this.polling ??= this.pollOnce().finally(() => {
      this.polling = null;
    });
    return this.polling;
  }

  private async pollOnce(): Promise<AlertTransition[]> {
    let alerts: PrometheusAlert[];
    try {
      alerts = await this.options.source.alerts();
    } catch (err) {
      // Reported once per outage, not at every poll.
      if (!this.failing) this.emit('unreachable', err as Error);
      this.failing = true;
      return [];
    }
    this.failing = false;
    const now = new Map(alerts.filter((a) => a.state === 'firing').map((a) => [keyOf(a.labels), a]));
    const before = this.firing;
    this.firing = now;
    if (!before) return [];
    const transitions = [
      ...[...now].filter(([k]) => !before.has(k)).map(([, a]) => transition('firing', a)),
      ...[...before].filter(([k]) => !now.has(k)).map(([, a]) => transition('resolved', a)),
    ];
    for (const t of transitions) this.emit('transition', t);
    return transitions;
  }
}

function transition(kind: AlertTransition['kind'], alert: PrometheusAlert): AlertTransition {
  return {
    kind,
    name: alert.labels.alertname ?? 'alert',
    severity: alert.labels.severity ?? null,
    summary: alert.annotations.summary ?? null,
    labels: alert.labels,
  };
}
