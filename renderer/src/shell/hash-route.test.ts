import { describe, expect, it } from 'vitest';
import { hashParams, pageFromHash, pageHref, routeLabelsFromHash, routePreviewHref } from './hash-route';

describe('pageFromHash', () => {
  const ids = ['overview', 'metrics', 'alerts'];
  it.each([
    ['#/metrics', 'metrics'],
    ['#alerts', 'alerts'],
    ['#/metrics?x=1', 'metrics'],
    ['', 'overview'],
    ['#/nope', 'overview'],
    ['#/', 'overview'],
  ])('%s -> %s', (hash, page) => {
    expect(pageFromHash(hash, ids, 'overview')).toBe(page);
  });
});

describe('hashParams and pageHref', () => {
  it('round-trip a page and its parameters, leaving out the undefined ones', () => {
    const href = pageHref('metrics', { tab: 'system-resources', from: 1700000000, to: undefined, q: 'a b&c' });
    expect(href).toBe('#/metrics?tab=system-resources&from=1700000000&q=a+b%26c');
    expect(pageFromHash(href, ['metrics'], 'overview')).toBe('metrics');
    expect(Object.fromEntries(hashParams(href))).toEqual({ tab: 'system-resources', from: '1700000000', q: 'a b&c' });
  });

  it('a hash without parameters has none', () => {
    expect(pageHref('alerts')).toBe('#/alerts');
    expect([...hashParams('#/alerts')]).toEqual([]);
  });
});

describe('routePreviewHref and routeLabelsFromHash', () => {
  it('round-trip an alert\'s labels, whatever characters they hold', () => {
    const labels = { alertname: 'APIDown', instance: 'inference-card0:8000', note: 'a b&c=d+e "q"' };
    const href = routePreviewHref(labels);
    expect(pageFromHash(href, ['notifications'], 'overview')).toBe('notifications');
    expect(routeLabelsFromHash(href)).toEqual(labels);
  });

  it.each([['#/notifications'], ['#/notifications?route=nope'], ['#/notifications?route=%5B%5D'], ['#/notifications?route=%7B%22a%22%3A1%7D']])('reads no labels from %s', (hash) => {
    expect(routeLabelsFromHash(hash)).toBeNull();
  });
});
