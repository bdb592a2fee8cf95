import { describe, expect, it } from 'vitest';
import { pageFromHash } from './hash-route';

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
