import { z } from 'zod';
import { requestJson } from '../../inference/json-http';
import { ConsoleError, serviceUnreachable } from '../console-error';
import { alertsResultSchema, instantResultSchema, labelListSchema, metadataSchema, rangeResultSchema, rulesResultSchema, seriesListSchema, targetsResultSchema, type InstantResult, type MetricMetadata, type PrometheusAlert, type RangeResult, type RulesResult, type TargetsResult } from '../../electron/api/schemas/prometheus-api';

export type { InstantResult, RangeResult, RulesResult, PrometheusAlert, TargetsResult, MetricMetadata } from '../../electron/api/schemas/prometheus-api';

/**
 * A small typed client for the Prometheus HTTP API (v1): the answers are validated, errors come
 * back as Prometheus worded them.
 */

/** Prometheus's own complaint, passed on as it worded it: a bad query stays a 4xx for the caller. */
export class PrometheusApiError extends ConsoleError {
  override name = 'PrometheusApiError';
  constructor(
    readonly httpStatus: number,
    readonly errorType: string,
    message: string,
  ) {
    super(`PROMETHEUS_${errorType.toUpperCase()}`, message, httpStatus >= 400 && httpStatus < 500 ? httpStatus : 502);
  }
}

/** Unix seconds; either end left out is Prometheus's default (all it keeps). */
export interface TimeRange {
  start?: number;
  end?: number;
}

/** `match[]` selectors and the range, as the label and series endpoints take them. */
function lookupParams(match: string[], { start, end }: TimeRange): [string, string][] {
  const params = match.map((m): [string, string] => ['match[]', m]);
  if (start !== undefined) params.push(['start', String(start)]);
  if (end !== undefined) params.push(['end', String(end)]);
  return params;
}

const envelope = z.object({ status: z.enum(['success', 'error']), data: z.unknown().optional(), errorType: z.string().optional(), error: z.string().optional() });

export class PrometheusClient {
  constructor(
    readonly baseUrl: string,
    private readonly timeoutMs = 10_000,
  ) {}

  /** Params are a record or repeated pairs (`match[]` may appear more than once). */
  private async get<T>(path: string, params: Record<string, string> | [string, string][], schema: z.ZodType<T>, method?: 'GET'): Promise<T> {
    const url = new URL(path, this.baseUrl);
    const form = new URLSearchParams(params);
    // POST form bodies keep long PromQL out of URLs, as Prometheus's own UI does; the label
    // values endpoint answers GET only.
    const post = form.size > 0 && method !== 'GET';
    if (!post) url.search = form.toString();
    const res = await requestJson(url, {
      method: post ? 'POST' : 'GET',
      ...(post ? { body: form } : {}),
      timeoutMs: this.timeoutMs,
      unreachable: serviceUnreachable('prometheus', this.baseUrl),
    });
    const parsed = envelope.safeParse(res.json);
    if (!parsed.success) throw new PrometheusApiError(res.status, 'bad_response', `Prometheus answered ${res.status} without its JSON envelope`);
    if (parsed.data.status === 'error') throw new PrometheusApiError(res.status, parsed.data.errorType ?? 'error', parsed.data.error ?? 'unknown error');
    return schema.parse(parsed.data.data);
  }

  query(query: string, time?: number): Promise<InstantResult> {
    return this.get('/api/v1/query', { query, ...(time !== undefined ? { time: String(time) } : {}) }, instantResultSchema);
  }

  queryRange(query: string, start: number, end: number, step: number): Promise<RangeResult> {
    return this.get('/api/v1/query_range', { query, start: String(start), end: String(end), step: String(step) }, rangeResultSchema);
  }

  rules(): Promise<RulesResult> {
    return this.get('/api/v1/rules', {}, rulesResultSchema);
  }

  alerts(): Promise<PrometheusAlert[]> {
    return this.get('/api/v1/alerts', {}, alertsResultSchema).then((r) => r.alerts);
  }

  targets(): Promise<TargetsResult> {
    return this.get('/api/v1/targets', {}, targetsResultSchema);
  }

  /** Label names, of the series that match any selector given (all series otherwise), seen in the range if given. */
  labelNames(match: string[] = [], range: TimeRange = {}): Promise<string[]> {
    return this.get('/api/v1/labels', lookupParams(match, range), labelListSchema);
  }

  labelValues(label: string, match: string[] = [], range: TimeRange = {}): Promise<string[]> {
    return this.get(`/api/v1/label/${encodeURIComponent(label)}/values`, lookupParams(match, range), labelListSchema, 'GET');
  }

  series(match: string[], start?: number, end?: number): Promise<Record<string, string>[]> {
    return this.get('/api/v1/series', lookupParams(match, { start, end }), seriesListSchema);
  }

  /** Type, help and unit of every metric Prometheus has scraped. */
  metadata(): Promise<MetricMetadata> {
    return this.get('/api/v1/metadata', {}, metadataSchema);
  }
}
