import { EqlRegex, EqlSingle, Neq, NeqRegex } from '@prometheus-io/lezer-promql';

/** A label matcher as the PromQL editor's completion hands it over (type is a lezer token id). */
export interface EditorMatcher {
  type: number;
  name: string;
  value: string;
}

const OPERATORS = new Map([
  [EqlSingle, '='],
  [Neq, '!='],
  [EqlRegex, '=~'],
  [NeqRegex, '!~'],
]);

/**
 * The series selector for a completion lookup: the metric with the matchers typed so far,
 * leaving out the label being completed and empty values (they match everything).
 */
export function selectorFor(metricName: string, matchers: EditorMatcher[] = [], skipLabel?: string): string {
  const parts = matchers
    .filter((m) => m.name !== skipLabel && m.value !== '')
    .map((m) => `${m.name}${OPERATORS.get(m.type) ?? '='}${JSON.stringify(m.value)}`);
  if (!parts.length) return metricName;
  return `${metricName}{${parts.join(',')}}`;
}
