import { parser } from '@prometheus-io/lezer-promql';
import { describe, expect, it } from 'vitest';
import { DASHBOARDS } from './dashboards';

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

const panels = DASHBOARDS.flatMap((d) => d.panels.map((p) => ({ ...p, dashboard: d.title })));
const all = panels.flatMap((p) => p.series.map((s) => [`${p.dashboard} / ${p.title}`, s.legend, s.query] as const));

describe('dashboards', () => {
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
      if (query.includes(' / ')) expect(query.split(' / ').every((side) => /^\(?sum( by \([a-z_, ]+\))? ?\(/.test(side.trim()))).toBe(true);
    }
  });

  it('keeps the seed dashboard and its extra panels first, and adds Model Inference and System Resources', () => {
    expect(DASHBOARDS.map((d) => d.title)).toEqual(['API Overview', 'Model Inference', 'System Resources']);
    expect(DASHBOARDS[0].panels.map((p) => p.title)).toEqual([
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
  });

  it('gives every panel a unique id, and every node_exporter panel a reason for being empty', () => {
    expect(new Set(panels.map((p) => p.id)).size).toBe(panels.length);
    expect(new Set(DASHBOARDS.map((d) => d.id)).size).toBe(DASHBOARDS.length);
    for (const p of panels.filter((p) => p.source === 'node-exporter')) expect(p.noData, p.title).toBeTruthy();
  });

  it('per card panels are labelled by card or chip, per model panels by model', () => {
    const legends = (id: string) => panels.find((p) => p.id === id)!.series.map((s) => s.legend);
    expect(legends('gpu-vram')).toEqual(['{{card}} used', '{{card}} total']);
    expect(legends('gpu-busy')).toEqual(['{{card}}']);
    expect(legends('model-inference-time')).toEqual(['{{model}} P50', '{{model}} P95', '{{model}} P99']);
  });
});
