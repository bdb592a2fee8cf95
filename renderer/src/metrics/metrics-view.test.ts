import { describe, expect, it } from 'vitest';
import { metricsHref, metricsView, selectionNoData, type MetricsView } from './metrics-view';

const tabs = [{ id: 'api-overview' }, { id: 'system-resources' }];
const live: MetricsView = { tab: 'api-overview', window: null, rig: [], gpu: [] };

describe('metricsView', () => {
  it('reads the tab and a past window from the hash, and writes them back', () => {
    const view = { tab: 'system-resources', window: { start: 1764650000, end: 1764653600 }, rig: [], gpu: [] };
    expect(metricsView(metricsHref(view), tabs)).toEqual(view);
  });
  it('falls back to the first tab, the live range and every rig and GPU', () => {
    expect(metricsView('#/metrics', tabs)).toEqual(live);
    expect(metricsView('#/metrics?tab=nope&from=1764653600&to=1764650000', tabs)).toEqual(live);
    expect(metricsView('#/metrics?from=abc&to=1764650000', tabs).window).toBeNull();
  });
  it('keeps the rigs and GPUs chosen, several as repeated parameters, any character as written', () => {
    const view = { ...live, rig: ['local', 'a&b=c'], gpu: ['card0'] };
    expect(metricsHref(view)).toBe('#/metrics?tab=api-overview&rig=local&rig=a%26b%3Dc&gpu=card0');
    expect(metricsView(metricsHref(view), tabs)).toEqual(view);
    expect(metricsHref({ ...live, rig: ['local'] })).toBe('#/metrics?tab=api-overview&rig=local');
    expect(metricsView('#/metrics?rig=&rig=x&rig=x', tabs).rig).toEqual(['x']);
  });
});

describe('selectionNoData', () => {
  it("leaves All to the panel's own reason, and names what is chosen otherwise", () => {
    expect(selectionNoData(live, 'inference')).toBeUndefined();
    expect(selectionNoData({ ...live, rig: ['rig-2'] }, 'inference')).toMatch(/^No data for rig rig-2 in this range: no worker of this selection/);
    expect(selectionNoData({ ...live, rig: ['a', 'b'], gpu: ['cpu0'] }, 'node-exporter')).toMatch(/^No data for rigs a, b and GPU cpu0 in this range: node_exporter reports this machine only/);
  });
});
