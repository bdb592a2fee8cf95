/**
 * The rig and GPU selection every dashboard is narrowed by. Panel queries are written with
 * `scoped(...)` vector selectors; `fillScope` puts the selection's matchers inside each of them,
 * before any `rate` or `sum`, so with one rig chosen Prometheus reads that rig's series alone.
 * The console fills them with the chosen values, Grafana with its `$rig` and `$gpu` variables.
 */

/** The inference workers' job on every rig (stack/config/scrape-jobs.ts; a test keeps them equal). */
export const INFERENCE_JOB = 'rx580-api';

/**
 * Which label of a selector's series the GPU selection narrows: a worker's `gpu`, node_exporter's
 * `card` (a CPU worker has none), or none at all for the host's own series (CPU, memory, disk).
 */
export type GpuLabel = 'gpu' | 'card' | null;

/**
 * Where the selection's matchers go: a matcher every series passes (none has the label), so a
 * template is valid PromQL meaning "every rig and GPU" wherever it is used unfilled.
 */
const placeholder = (gpu: GpuLabel) => `__scope${gpu ? `_${gpu}` : ''}__=""`;
/** The placeholder, always last in its braces (`{` or `,` before it). */
const PLACEHOLDER = /([{,])__scope(?:_(gpu|card))?__=""\}/g;

/** A vector selector the selection narrows: `metric{matchers}` and the placeholder. */
export const scoped = (metric: string, gpu: GpuLabel, matchers = '') => `${metric}{${matchers ? `${matchers},` : ''}${placeholder(gpu)}}`;

/** Values of a label to keep (none: All), or a Grafana variable holding them. */
export type LabelFilter = readonly string[] | { variable: string };

export interface Selection {
  rig: LabelFilter;
  gpu: LabelFilter;
}

export const ALL: Selection = { rig: [], gpu: [] };

/** A PromQL string literal: JSON's escapes (`\"`, `\\`, `\n`, `\uXXXX`) are PromQL's too. */
const literal = (s: string) => JSON.stringify(s);
/** RE2's special characters, escaped so a value matches only itself in a `=~` alternation. */
const regexEscape = (s: string) => s.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');

/** The matcher of one label, or null for All. Grafana escapes a variable's values itself. */
export function labelMatcher(label: string, filter: LabelFilter): string | null {
  if ('variable' in filter) return `${label}=~"$${filter.variable}"`;
  if (filter.length === 0) return null;
  if (filter.length === 1) return `${label}=${literal(filter[0]!)}`;
  return `${label}=~${literal(filter.map(regexEscape).join('|'))}`;
}

/** The query with every scoped selector narrowed to the selection (or left whole for All). */
export function fillScope(query: string, selection: Selection): string {
  return query.replace(PLACEHOLDER, (_, before: string, gpu: 'gpu' | 'card' | undefined) => {
    const matchers = [labelMatcher('rig', selection.rig), gpu ? labelMatcher(gpu, selection.gpu) : null].filter((m) => m !== null);
    if (matchers.length > 0) return `${before}${matchers.join(',')}}`;
    // `metric{}` is valid but noise: drop the braces the placeholder had alone.
    return before === ',' ? '}' : '';
  });
}

/** The inference workers' `up` series: what the rig and GPU options are listed from. */
export const WORKERS = scoped('up', null, `job="${INFERENCE_JOB}"`);

/** The workers of the chosen rigs, whose `gpu` values are the GPU options. */
export const workersOf = (rig: LabelFilter) => fillScope(WORKERS, { rig, gpu: [] });
