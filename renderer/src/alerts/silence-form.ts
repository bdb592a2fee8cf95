import type { CreateSilenceInput } from '../../../electron/api/monitoring-contract';

/** Durations the silence form offers. */
export const SILENCE_DURATIONS = [
  { label: '15 minutes', seconds: 15 * 60 },
  { label: '1 hour', seconds: 3600 },
  { label: '2 hours', seconds: 2 * 3600 },
  { label: '4 hours', seconds: 4 * 3600 },
  { label: '1 day', seconds: 86_400 },
  { label: '1 week', seconds: 7 * 86_400 },
] as const;

/** Every label as an equality matcher, by label name. */
export function equalityMatchers(labels: Record<string, string>) {
  return Object.entries(labels)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, value]) => ({ name, value, isRegex: false, isEqual: true }));
}

/** A silence that matches exactly this alert: every one of its labels, as equality matchers. */
export function silenceForAlert(labels: Record<string, string>, durationSeconds: number, comment: string): CreateSilenceInput {
  return { matchers: equalityMatchers(labels), durationSeconds, comment: comment.trim() };
}

/** `alertname="X", severity="warning"`: how matchers read in one line. */
export function describeMatchers(matchers: { name: string; value: string; isRegex: boolean; isEqual?: boolean }[]): string {
  return matchers
    .map((m) => {
      const op = m.isRegex ? (m.isEqual === false ? '!~' : '=~') : m.isEqual === false ? '!=' : '=';
      return `${m.name}${op}${JSON.stringify(m.value)}`;
    })
    .join(', ');
}
