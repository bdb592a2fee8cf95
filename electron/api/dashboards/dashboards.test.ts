import { parser } from '@prometheus-io/lezer-promql';
import { describe, expect, it } from 'vitest';
import { DASHBOARDS, scopeDashboard } from './dashboards';
import { ALL, type Selection } from './scope';

/** The text of every vector selector's label matchers, one list per selector. */
function selectorMatchers(query: string): string[][] {
  const selectors: string[][] = [];
  parser.parse(query).iterate({
    enter: (node) => {
      if (node.name === 'VectorSelector') selectors.push([]);
      if (node.name === 'UnquotedLabelMatcher') selectors.at(-1)!.push(query.slice(node.from, node.to));
    },
  });
  return selectors;
}

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

  const selections: [string, Selection][] = [
    ['All', ALL],
    ['one rig and GPU', { rig: ['local'], gpu: ['card0'] }],
    ['several rigs named with regex characters', { rig: ['rig.1', 'a+b|c'], gpu: ['card0', 'cpu'] }],
    ["Grafana's variables", { rig: { variable: 'rig' }, gpu: { variable: 'gpu' } }],
  ];
  it.each(selections)('every query narrowed to %s parses as PromQL, no placeholder left', (_name, selection) => {
    for (const d of DASHBOARDS) {
      for (const s of scopeDashboard(d, selection).panels.flatMap((p) => p.series)) {
        expect(syntaxErrors(s.query), s.query).toEqual([]);
        expect(s.query).not.toMatch(/__scope|\{\}/);
      }
    }
  });

  // The scale target: with one rig shown, no query's cost grows with the other rigs' workers.
  it('with one rig chosen, puts its matcher inside every vector selector of every panel, before any rate or sum', () => {
    for (const d of DASHBOARDS) {
      for (const p of scopeDashboard(d, { rig: ['rig-7'], gpu: [] }).panels) {
        for (const s of p.series) {
          const selectors = selectorMatchers(s.query);
          expect(selectors.length, s.query).toBeGreaterThan(0);
          for (const matchers of selectors) expect(matchers, `${p.id}: ${s.query}`).toContain('rig="rig-7"');
        }
      }
    }
  });

  it("narrows workers by gpu, node_exporter's cards by card, and the host's series by rig alone", () => {
    for (const d of DASHBOARDS) {
      for (const p of scopeDashboard(d, { rig: ['local'], gpu: ['card1'] }).panels) {
        const gpuMatcher = p.source === 'inference' ? 'gpu="card1"' : p.id.startsWith('gpu-') ? 'card="card1"' : null;
        for (const matchers of p.series.flatMap((s) => selectorMatchers(s.query))) {
          if (gpuMatcher) expect(matchers, p.id).toContain(gpuMatcher);
          else expect(matchers.filter((m) => /^(gpu|card)=/.test(m)), p.id).toEqual([]);
        }
      }
    }
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
