import { describe, expect, it } from 'vitest';
import type { GettableSilence } from '../../../electron/api/schemas/alertmanager-api';
import { batches, filterSilences, liveSilences } from './silence-list';

const silence = (id: string, state: string, matchers: [string, string][], comment: string, createdBy = 'RX580 Ops Console') =>
  ({
    id,
    status: { state },
    matchers: matchers.map(([name, value]) => ({ name, value, isRegex: false, isEqual: true })),
    comment,
    createdBy,
    startsAt: '2025-01-01T00:00:00Z',
    endsAt: '2025-01-01T01:00:00Z',
    updatedAt: '2025-01-01T00:00:00Z',
  }) as unknown as GettableSilence;

const all = [
  silence('a', 'active', [['gpu', 'card0']], 'Maintenance of card0'),
  silence('b', 'pending', [['alertname', 'APIDown']], 'deploy', 'jane'),
  silence('c', 'expired', [['alertname', 'HighLatency']], 'old'),
];

describe('liveSilences', () => {
  it('drops the expired ones', () => {
    expect(liveSilences(all).map((s) => s.id)).toEqual(['a', 'b']);
  });
});

describe('filterSilences', () => {
  it('matches matchers, comment and author, in any case', () => {
    expect(filterSilences(all, 'GPU="card0"').map((s) => s.id)).toEqual(['a']);
    expect(filterSilences(all, 'maintenance').map((s) => s.id)).toEqual(['a']);
    expect(filterSilences(all, 'JANE').map((s) => s.id)).toEqual(['b']);
    expect(filterSilences(all, 'nothing like it')).toEqual([]);
  });

  it('keeps all for an empty text', () => {
    expect(filterSilences(all, '  ')).toHaveLength(3);
  });
});

describe('batches', () => {
  it('cuts a list into batches, the last one shorter', () => {
    expect(batches([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(batches([], 10)).toEqual([]);
  });
});
