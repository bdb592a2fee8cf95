import type { CompiledMatcher } from '../notifications/alertmanager-matchers';
import type { ResolvedRoute } from '../notifications/route-preview';

/** Every leaf of a routing tree (a route without children), with the path from the root to it. */
export function leafPaths(route: ResolvedRoute, path: ResolvedRoute[] = []): ResolvedRoute[][] {
  const here = [...path, route];
  return route.children.length ? route.children.flatMap((child) => leafPaths(child, here)) : [here];
}

/** `root/2/0`: where a path ends, for messages and comparisons. */
export const pathKey = (nodes: { index: number | null }[]) => ['root', ...nodes.slice(1).map((n) => n.index)].join('/');

/** A string the (simple) regex matches: one alternative with classes, escapes and repeats spelled out. */
function regexSample(alternative: string): string {
  return alternative
    .replace(/^\(\?[a-z]+\)/, '')
    .replace(/\[\[:digit:\]\]|\\d/g, '7')
    .replace(/\[\[:\w+:\]\]/g, 'a')
    .replace(/\[\^[^\]]*\]/g, '~')
    .replace(/\[([^\]])[^\]]*\]/g, '$1')
    .replace(/\\s/g, ' ')
    .replace(/\\(.)/g, '$1')
    .replace(/\./g, 'x')
    .replace(/(.)\{(\d+)(?:,\d*)?\}/g, (_, c: string, n: string) => c.repeat(Number(n)))
    .replace(/[*+?()^$]/g, '');
}

const samples = (m: CompiledMatcher): string[] =>
  !m.isEqual ? [] : m.isRegex ? m.value.split('|').map(regexSample) : [m.value];

/**
 * Labels that satisfy every matcher on a path, each value tried from what the matchers name,
 * then another value, then none; null when no tried value fits a label.
 */
export function labelsFor(path: ResolvedRoute[]): Record<string, string> | null {
  const byLabel = new Map<string, CompiledMatcher[]>();
  for (const m of path.flatMap((r) => r.compiled)) byLabel.set(m.name, [...(byLabel.get(m.name) ?? []), m]);
  const labels: Record<string, string> = {};
  for (const [name, matchers] of byLabel) {
    const value = [...matchers.flatMap(samples), 'other-value', ''].find((v) => matchers.every((m) => m.test({ [name]: v })));
    if (value === undefined) return null;
    if (value !== '') labels[name] = value;
  }
  return labels;
}
