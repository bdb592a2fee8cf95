import { parser } from '@prometheus-io/lezer-promql';
import { describe, expect, it } from 'vitest';
import { PANELS } from './panels';

/** Positions of lezer's error nodes in a parse of `query` (empty when it parses cleanly). */
function syntaxErrors(query: string): number[] {
  const errors: number[] = [];
  parser.parse(query).iterate({
    enter: (node) => {
      if (node.type.isError) errors.push(node.from);
    },
  });
  return errors;
}

describe('metric panels', () => {
  const all = PANELS.flatMap((p) => p.series.map((s) => [p.title, s.legend, s.query] as const));

  it('the parser flags broken PromQL (so the next test can fail)', () => {
    expect(syntaxErrors('sum(rate(api_requests_total[1m])')).not.toEqual([]);
    expect(syntaxErrors('sum(rate(api_requests_total[1m]))')).toEqual([]);
  });

  it.each(all)('%s / %s parses as PromQL', (_title, _legend, query) => {
    expect(syntaxErrors(query)).toEqual([]);
  });

  it('aggregates before dividing and before histogram_quantile', () => {
    for (const [, , query] of all) {
      if (query.includes('histogram_quantile')) expect(query).toMatch(/histogram_quantile\([0-9.]+, sum by \(le[,)]/);
      if (query.includes(' / ')) expect(query.split(' / ').every((side) => /^\(?sum\(/.test(side.trim()))).toBe(true);
    }
  });

  it('covers the seed dashboard and the three extra panels, with unique ids', () => {
    expect(PANELS.map((p) => p.title)).toEqual([
      'Request rate',
      'Error rate (5xx)',
      'P95 latency',
      'Models loaded',
      'Request rate by status class',
      'Response latency percentiles',
      'Inference duration (P95 by model)',
      'Memory',
      'GPU memory',
    ]);
    expect(new Set(PANELS.map((p) => p.id)).size).toBe(PANELS.length);
  });
});
