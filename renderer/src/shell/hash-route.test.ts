import { describe, expect, it } from 'vitest';
import { hashParams, pageFromHash, pageHref } from './hash-route';

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
