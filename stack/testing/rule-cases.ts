import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { ALERT_RULE_FILES, alertRuleGroups, renderAlertRules, type AlertRule } from '../config/alert-rules';
import type { Settings } from '../../electron/api/schemas/settings';
import { promtool, writeConfigTree } from './promtool';

/** Input series and expected alerts for `promtool test rules`, written as tables of cases. */

export const series = (name: string, labels: Record<string, string>, values: string) => ({
  series: `${name}{${Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(',')}}`,
  values,
});
// Samples every 15 s (a default scrape interval) for 20 minutes.
export const INTERVAL = '15s';
export const STEPS = 80;
/** A counter growing by `perMinute`. */
export const counter = (name: string, labels: Record<string, string>, perMinute: number) => series(name, labels, `0+${perMinute / 4}x${STEPS}`);
/** A gauge holding one value. */
export const gauge = (name: string, labels: Record<string, string>, value: number) => series(name, labels, `${value}x${STEPS}`);
export const requests = (status: string, perMinute: number, endpoint = '/predict') => counter('api_requests_total', { endpoint, method: 'POST', status }, perMinute);
/** A histogram's cumulative buckets, each growing by the given count per minute. */
export const histogram = (name: string, labels: Record<string, string>, perMinuteByLe: Record<string, number>) =>
  Object.entries(perMinuteByLe).map(([le, n]) => counter(`${name}_bucket`, { ...labels, le }, n));

export interface Case {
  name: string;
  alert: string;
  input: ReturnType<typeof series>[];
  evalTime?: string;
  /** Extra labels of each expected alert (beyond alertname, severity, component); empty: must not fire. */
  fires: Record<string, string>[];
}

/** The rule files without annotations: their templates print computed values, checked by hand where a test wants them. */
function rulesWithoutAnnotations(alerts: Settings['alerts']): Record<string, string> {
  return Object.fromEntries(
    Object.entries(renderAlertRules(alerts)).map(([file, text]) => {
      const doc = parse(text) as { groups: { rules: Partial<AlertRule>[] }[] };
      for (const g of doc.groups) for (const r of g.rules) delete r.annotations;
      return [file, stringify(doc)];
    }),
  );
}

function unitTests(alerts: Settings['alerts'], selected: Case[]) {
  const ruleByName = new Map<string, AlertRule>(alertRuleGroups(alerts).flatMap((g) => g.rules.map((r) => [r.alert, r])));
  return {
    rule_files: Object.values(ALERT_RULE_FILES),
    evaluation_interval: alerts.evaluationInterval,
    tests: selected.map((c) => ({
      name: c.name,
      interval: INTERVAL,
      input_series: c.input,
      alert_rule_test: [
        {
          eval_time: c.evalTime ?? '10m',
          alertname: c.alert,
          exp_alerts: c.fires.map((labels) => ({ exp_labels: { ...ruleByName.get(c.alert)!.labels, ...labels } })),
        },
      ],
    })),
  };
}

/** Runs cases through the real promtool (the host's, Debian's) against the rendered rule files. */
export function ruleTestRunner(alerts: Settings['alerts']): (selected: Case[]) => Promise<{ code: number; output: string }> {
  return async (selected) => {
    const dir = await writeConfigTree(rulesWithoutAnnotations(alerts));
    await writeFile(join(dir, 'tests.yml'), stringify(unitTests(alerts, selected)));
    return promtool(['test', 'rules', 'tests.yml'], dir);
  };
}
