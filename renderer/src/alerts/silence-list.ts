import type { GettableSilence } from '../../../electron/api/schemas/alertmanager-api';
import { describeMatchers } from './silence-form';

/** Silences still in force or yet to start (expired ones are history). */
export function liveSilences(silences: readonly GettableSilence[]): GettableSilence[] {
  return silences.filter((s) => s.status.state !== 'expired');
}

/** The silences whose matchers, comment or author contain the text (any case); all for an empty text. */
export function filterSilences(silences: readonly GettableSilence[], text: string): GettableSilence[] {
  const needle = text.trim().toLowerCase();
  if (!needle) return [...silences];
  return silences.filter((s) => `${describeMatchers(s.matchers)} ${s.comment} ${s.createdBy}`.toLowerCase().includes(needle));
}

/** The ids in batches of `size`: one call each, so a long bulk expiry shows its progress. */
export function batches<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
