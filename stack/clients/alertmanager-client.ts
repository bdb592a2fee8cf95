import { z } from 'zod';
import { requestJson, type JsonAnswer } from '../../inference/json-http';
import { ConsoleError, serviceUnreachable } from '../console-error';
import { alertmanagerStatusSchema, gettableAlertSchema, gettableSilenceSchema, matcherSchema, type AlertmanagerStatus, type GettableAlert, type GettableSilence, type PostableAlert, type PostableSilence } from '../../electron/api/schemas/alertmanager-api';

export type { PostableAlert, PostableSilence, AlertmanagerStatus, GettableAlert, GettableSilence } from '../../electron/api/schemas/alertmanager-api';

/**
 * A small typed client for Alertmanager's HTTP API v2 (v1 answers 410 since 0.27): status,
 * alerts, posting alerts, and silences; and its own /metrics. Answers are validated; errors come
 * back as Alertmanager worded them.
 */

export interface AlertFilter {
  active?: boolean;
  silenced?: boolean;
  inhibited?: boolean;
  /** Label matchers such as `alertname="APIDown"`. */
  filter?: string[];
  receiver?: string;
}

export class AlertmanagerApiError extends ConsoleError {
  override name = 'AlertmanagerApiError';
  constructor(
    readonly httpStatus: number,
    message: string,
  ) {
    super('ALERTMANAGER_ERROR', message, httpStatus >= 400 && httpStatus < 500 ? httpStatus : 502);
  }
}

export class AlertmanagerClient {
  constructor(
    readonly baseUrl: string,
    private readonly timeoutMs = 10_000,
  ) {}

  private async send(method: string, path: string, body?: unknown): Promise<JsonAnswer> {
    const res = await requestJson(new URL(path, this.baseUrl), { method, body, timeoutMs: this.timeoutMs, unreachable: serviceUnreachable('alertmanager', this.baseUrl) });
    if (!res.ok) {
      // Alertmanager answers errors as a JSON string, go-swagger's {"code": 602, "message": "..."}
      // for a schema violation, or plain text (kept as it came).
      const message = typeof res.json === 'string' ? res.json : typeof (res.json as { message?: unknown })?.message === 'string' ? (res.json as { message: string }).message : res.text.trim();
      throw new AlertmanagerApiError(res.status, message || `Alertmanager answered ${res.status}`);
    }
    return res;
  }

  private async request<T>(method: string, path: string, schema: z.ZodType<T>, body?: unknown): Promise<T> {
    const res = await this.send(method, path, body);
    const parsed = schema.safeParse(res.json);
    if (!parsed.success) throw new AlertmanagerApiError(502, `Alertmanager answered ${method} ${path} with an unexpected shape`);
    return parsed.data;
  }

  status(): Promise<AlertmanagerStatus> {
    return this.request('GET', '/api/v2/status', alertmanagerStatusSchema);
  }

  alerts(filter: AlertFilter = {}): Promise<GettableAlert[]> {
    const params = new URLSearchParams();
    for (const key of ['active', 'silenced', 'inhibited'] as const) {
      if (filter[key] !== undefined) params.set(key, String(filter[key]));
    }
    for (const f of filter.filter ?? []) params.append('filter', f);
    if (filter.receiver) params.set('receiver', filter.receiver);
    const query = params.size ? `?${params}` : '';
    return this.request('GET', `/api/v2/alerts${query}`, z.array(gettableAlertSchema));
  }

  async postAlerts(alerts: PostableAlert[]): Promise<void> {
    await this.request('POST', '/api/v2/alerts', z.unknown(), alerts);
  }

  silences(): Promise<GettableSilence[]> {
    return this.request('GET', '/api/v2/silences', z.array(gettableSilenceSchema));
  }

  async createSilence(silence: PostableSilence): Promise<string> {
    // Older versions require isRegex and isEqual on every matcher: send them explicitly.
    const body = { ...silence, matchers: silence.matchers.map((m) => matcherSchema.parse(m)) };
    const { silenceID } = await this.request('POST', '/api/v2/silences', z.object({ silenceID: z.string() }), body);
    return silenceID;
  }

  /** Expires a silence; note the singular `silence` in the path. */
  async expireSilence(id: string): Promise<void> {
    await this.request('DELETE', `/api/v2/silence/${encodeURIComponent(id)}`, z.unknown());
  }

  /** Alertmanager's own metrics (its notification counters among them), in Prometheus's text format. */
  async metrics(): Promise<string> {
    return (await this.send('GET', '/metrics')).text;
  }
}
