import { describe, expect, it } from 'vitest';
import { pageFromHash } from '../shell/hash-route';
import { labelsFromHash, routePreviewHref } from './route-hash';

describe('the routing preview address', () => {
  it('round-trips labels, whatever they hold, and opens the Notifications page', () => {
    const labels = { alertname: 'HighLatency', severity: 'warning', note: 'a b&c="d"#?/é' };
    const href = routePreviewHref(labels);
    expect(href).toBe(`#/notifications?route=${new URLSearchParams({ route: JSON.stringify(labels) }).toString().slice('route='.length)}`);
    expect(pageFromHash(href, ['overview', 'notifications'], 'overview')).toBe('notifications');
    expect(labelsFromHash(href)).toEqual({ labels });
  });

  it('reads a hand-written address, percent-encoded or not', () => {
    expect(labelsFromHash(`#/notifications?route=${encodeURIComponent('{"severity":"critical"}')}`)).toEqual({ labels: { severity: 'critical' } });
    expect(labelsFromHash('#/notifications?route={"a":"1"}')).toEqual({ labels: { a: '1' } });
    expect(labelsFromHash('#/notifications?route={}')).toEqual({ labels: {} });
  });

  it('asks nothing without the parameter', () => {
    expect(labelsFromHash('#/notifications')).toBeNull();
    expect(labelsFromHash('')).toBeNull();
    expect(labelsFromHash('#/notifications?other=1')).toBeNull();
  });

  it.each([
    ['#/notifications?route=severity', /not JSON/],
    ['#/notifications?route=', /not JSON/],
    ['#/notifications?route=["a"]', /cannot use: .*expected record/],
    ['#/notifications?route={"bad-name":"x"}', /bad-name: not a valid label name/],
    ['#/notifications?route={"a":1}', /a: .*expected string/],
  ])('explains an address it cannot use: %s', (hash, message) => {
    const result = labelsFromHash(hash);
    expect(result && 'error' in result ? result.error : null).toMatch(message);
  });
});
