/**
 * Whether Alertmanager delivered a notification, read from its own counters: each attempt
 * counts in `alertmanager_notification_requests_total{integration}`, each failed attempt also in
 * `..._requests_failed_total`. Newer versions add labels (e.g. `reason`), so lines are summed.
 */
export interface DeliveryCounters {
  requests: number;
  failed: number;
}

function sum(metrics: string, name: string, integration: string): number {
  let total = 0;
  const line = new RegExp(`^${name}\\{([^}]*)\\} (\\S+)$`, 'gm');
  for (const m of metrics.matchAll(line)) {
    if (new RegExp(`(^|,)integration="${integration}"`).test(m[1]!)) total += Number(m[2]);
  }
  return total;
}

export function deliveryCounters(metrics: string, integration: string): DeliveryCounters {
  return {
    requests: sum(metrics, 'alertmanager_notification_requests_total', integration),
    failed: sum(metrics, 'alertmanager_notification_requests_failed_total', integration),
  };
}

/** Alertmanager's reason for the last failed attempt of one receiver, from its log lines. */
export function failureReason(logLines: string[], receiver: string): string | null {
  for (const line of [...logLines].reverse()) {
    if (!line.includes(receiver)) continue;
    const err = /\berr="((?:[^"\\]|\\.)*)"/.exec(line)?.[1];
    if (err) return err.replace(/\\"/g, '"');
  }
  return null;
}

/** Replaces every secret value in a text (an error from Alertmanager or amtool) before it leaves the main process. */
export function redactSecrets(text: string, secrets: string[]): string {
  let out = text;
  for (const s of secrets.filter((v) => v.length >= 4).sort((a, b) => b.length - a.length)) out = out.split(s).join('<secret>');
  return out;
}
