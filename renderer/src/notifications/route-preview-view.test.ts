import { describe, expect, it } from 'vitest';
import { groupByText, inhibitionText, integrationsText, nodeMatchers } from './route-preview-view';

const m = (name: string, value: string, isRegex = false, isEqual = true) => ({ name, value, isRegex, isEqual });

describe('the routing preview as it reads', () => {
  it('names a node by its matchers, the root as taking every alert', () => {
    expect(nodeMatchers({ index: null, matchers: [], receiver: 'default', continue: false })).toBe('every alert');
    expect(nodeMatchers({ index: 2, matchers: [], receiver: null, continue: false })).toMatch(/no matchers/);
    expect(nodeMatchers({ index: 0, matchers: [m('severity', 'crit|warn', true), m('env', 'dev', false, false)], receiver: null, continue: true })).toBe('severity=~"crit|warn", env!="dev"');
  });

  it('says what a receiver sends through, and when it sends nothing', () => {
    expect(integrationsText([{ kind: 'slack', count: 1 }, { kind: 'webhook', count: 2 }])).toBe('slack, 2 × webhook');
    expect(integrationsText([])).toMatch(/nothing is sent/);
  });

  it('reads group_by', () => {
    expect(groupByText(['...'])).toMatch(/every label/);
    expect(groupByText([])).toMatch(/one group/);
    expect(groupByText(['alertname', 'severity'])).toBe('alertname, severity');
  });

  it('explains an inhibit rule with the values the source must share', () => {
    expect(inhibitionText({ index: 0, sourceMatchers: [m('severity', 'critical')], equal: ['component'], matchesSource: false }, { component: 'api' })).toBe(
      'Muted while an alert matching severity="critical" fires with the same component="api".',
    );
    expect(inhibitionText({ index: 1, sourceMatchers: [], equal: [], matchesSource: true }, {})).toMatch(/^Muted while an alert matching any labels fires\. This alert matches that side too/);
  });
});
