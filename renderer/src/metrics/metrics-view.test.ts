import { describe, expect, it } from 'vitest';
import { metricsHref, metricsView } from './metrics-view';

const tabs = [{ id: 'api-overview' }, { id: 'system-resources' }];

describe('metricsView', () => {
  it('reads the tab and a past window from the hash, and writes them back', () => {
    const view = { tab: 'system-resources', window: { start: 1764650000, end: 1764653600 } };
    expect(metricsView(metricsHref(view), tabs)).toEqual(view);
  });
  it('falls back to the first tab and the live range', () => {
    expect(metricsView('#/metrics', tabs)).toEqual({ tab: 'api-overview', window: null });
    expect(metricsView('#/metrics?tab=nope&from=1764653600&to=1764650000', tabs)).toEqual({ tab: 'api-overview', window: null });
    expect(metricsView('#/metrics?from=abc&to=1764650000', tabs).window).toBeNull();
  });
});
