import { PROVIDER_NAMES } from '../../../electron/api/inference-contract';
import type { Settings } from '../../../electron/api/schemas/settings';

/** Pure helpers of the settings form, kept apart from React so they are tested directly. */

export type Providers = Settings['inference']['providers'];
export const ALL_PROVIDERS: readonly Providers[number][] = PROVIDER_NAMES;

/**
 * Field messages by dotted path from an API error's issues. `settings.update` validates its
 * first argument, so its paths start with "0."; `settings.import` reports file paths as they are.
 */
export function fieldMessages(issues: { path: string; message: string }[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { path, message } of issues ?? []) {
    const key = path.replace(/^0\.?/, '') || '(form)';
    // Items of a list belong to the list's field: inference.providers.1 -> inference.providers.
    const field = key.replace(/\.\d+$/, '');
    out[field] ??= message;
  }
  return out;
}

/** Sets a value at a dotted path in a copy of the settings. */
export function withValue(settings: Settings, path: string, value: unknown): Settings {
  const copy = structuredClone(settings) as unknown as Record<string, unknown>;
  const keys = path.split('.');
  let node = copy;
  for (const k of keys.slice(0, -1)) node = node[k] as Record<string, unknown>;
  node[keys.at(-1)!] = value;
  return copy as unknown as Settings;
}

export function valueAt(settings: Settings, path: string): unknown {
  return path.split('.').reduce<unknown>((node, k) => (node as Record<string, unknown> | undefined)?.[k], settings);
}

/** Moves a provider up (-1) or down (+1) in the order they are tried. */
export function moveProvider(list: Providers, index: number, by: -1 | 1): Providers {
  const to = index + by;
  if (to < 0 || to >= list.length) return list;
  const next = [...list];
  [next[index], next[to]] = [next[to]!, next[index]!];
  return next;
}

/** Switches a provider on (appended, tried last) or off. */
export function toggleProvider(list: Providers, provider: Providers[number]): Providers {
  return list.includes(provider) ? list.filter((p) => p !== provider) : [...list, provider];
}

/** A number input's text as the form keeps it: a number when it is one, else the text, which the API rejects with a message. */
export function numberFrom(text: string): number | string {
  const n = Number(text);
  return text.trim() !== '' && Number.isFinite(n) ? n : text;
}
