import { describe, expect, it } from 'vitest';
import { emptyReason, type ChartState } from './empty-reason';

const ready: ChartState = { prometheusReady: true, stackRunning: true, isPending: false, error: null, seriesCount: 1, onlyGaps: false };

describe('emptyReason', () => {
  it('draws when there is a series with samples', () => {
    expect(emptyReason(ready)).toBeNull();
  });
  it('tells a stopped stack from a starting Prometheus', () => {
    expect(emptyReason({ ...ready, prometheusReady: false, stackRunning: false })).toMatchObject({ kind: 'stopped', message: /stack is stopped/ });
    expect(emptyReason({ ...ready, prometheusReady: false })).toMatchObject({ kind: 'stopped', message: /not ready yet/ });
  });
  it('tells no traffic from a query error', () => {
    expect(emptyReason({ ...ready, seriesCount: 0 })).toMatchObject({ kind: 'no-data', message: /No data yet/ });
    expect(emptyReason({ ...ready, seriesCount: 0 }, 'No series.')).toEqual({ kind: 'no-data', message: 'No series.' });
    expect(emptyReason({ ...ready, onlyGaps: true })).toMatchObject({ kind: 'no-data', message: /No traffic yet/ });
    expect(emptyReason({ ...ready, error: { code: 'PROMETHEUS_BAD_DATA', message: 'parse error' } })).toEqual({ kind: 'error', message: 'parse error' });
    expect(emptyReason({ ...ready, error: { code: 'PROMETHEUS_UNREACHABLE', message: 'start the stack' } })).toMatchObject({ kind: 'stopped' });
  });
  it('says it is loading before the first answer', () => {
    expect(emptyReason({ ...ready, prometheusReady: null })).toMatchObject({ kind: 'loading' });
    expect(emptyReason({ ...ready, isPending: true, seriesCount: 0 })).toMatchObject({ kind: 'loading' });
  });
});
