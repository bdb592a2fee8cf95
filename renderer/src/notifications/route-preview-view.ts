import type { Inhibition, RouteMatch, RouteNode } from '../../../electron/api/schemas/route-preview';
import { describeMatchers } from '../alerts/silence-form';

/** How the routing preview's answer reads: sentences and short values for the page. */

export const nodeMatchers = (node: RouteNode) => describeMatchers(node.matchers) || (node.index === null ? 'every alert' : 'no matchers: every alert that gets here');

export function integrationsText(integrations: RouteMatch['integrations']): string {
  if (!integrations.length) return 'no integration: nothing is sent';
  return integrations.map((i) => (i.count > 1 ? `${i.count} × ${i.kind}` : i.kind)).join(', ');
}

export function groupByText(groupBy: string[]): string {
  if (groupBy.includes('...')) return 'every label: each alert alone';
  return groupBy.length ? groupBy.join(', ') : 'nothing: one group for all';
}

/** When the rule mutes the alert, with the values the source alert must share. */
export function inhibitionText(rule: Inhibition, labels: Record<string, string>): string {
  const source = describeMatchers(rule.sourceMatchers) || 'any labels';
  const same = rule.equal.map((n) => `${n}=${JSON.stringify(labels[n] ?? '')}`).join(', ');
  const self = rule.matchesSource ? ' This alert matches that side too: it never mutes itself, only another alert like it can.' : '';
  return `Muted while an alert matching ${source} fires${same ? ` with the same ${same}` : ''}.${self}`;
}
