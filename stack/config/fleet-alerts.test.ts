import { describe, expect, it } from 'vitest';
import { alertRuleGroups } from './alert-rules';
import { parseSettings } from '../../electron/settings/settings-file';
import { gauge, ruleTestRunner, series, STEPS, type Case } from '../testing/rule-cases';

// RigDown and WorkerDown, checked by the real promtool on the rendered rule files.
const alerts = parseSettings({}).alerts;
const runUnitTests = ruleTestRunner(alerts);

const worker = (rig: string, gpu: string) => ({ job: 'rx580-api', instance: `${rig}-${gpu}:8000`, service: 'inference', rig, gpu });
const node = (rig: string) => ({ job: 'node', instance: `${rig}:9100`, service: 'node-exporter', rig });
/** Up for the first two minutes, then down to the end. */
const goesDown = (labels: Record<string, string>) => series('up', labels, `1x7 0x${STEPS - 8}`);

const cases: Case[] = [
  {
    name: 'a rig whose every target is down is down, once',
    alert: 'RigDown',
    input: [goesDown(worker('b', 'card0')), goesDown(worker('b', 'card1')), goesDown(node('b')), gauge('up', worker('a', 'card0'), 1)],
    fires: [{ rig: 'b' }],
  },
  {
    name: 'a rig with one target up is not down',
    alert: 'RigDown',
    input: [goesDown(worker('b', 'card0')), gauge('up', worker('b', 'card1'), 1)],
    fires: [],
  },
  {
    name: 'a rig down for less than its for is not down yet',
    alert: 'RigDown',
    input: [series('up', worker('b', 'card0'), `1x39 0x${STEPS - 40}`)],
    evalTime: '10m30s',
    fires: [],
  },
  {
    name: 'each down worker fires with its rig and GPU',
    alert: 'WorkerDown',
    input: [goesDown(worker('b', 'card0')), goesDown(worker('b', 'card1')), gauge('up', worker('a', 'card0'), 1)],
    fires: [worker('b', 'card0'), worker('b', 'card1')],
  },
  {
    name: 'a node_exporter down is no WorkerDown',
    alert: 'WorkerDown',
    input: [goesDown(node('b')), gauge('up', worker('b', 'card0'), 1)],
    fires: [],
  },
];

describe('fleet alerts', () => {
  it('has RigDown critical by rig and WorkerDown a warning per worker, with for durations from the settings', () => {
    const custom = parseSettings({ alerts: { rigDownFor: '20s', workerDownFor: '45s' } }).alerts;
    const fleet = alertRuleGroups(custom).find((g) => g.name === 'rx580-fleet')!.rules;
    expect(fleet.map((r) => [r.alert, r.labels.severity, r.for])).toEqual([
      ['RigDown', 'critical', '20s'],
      ['WorkerDown', 'warning', '45s'],
    ]);
  });

  it('passes promtool test rules, firing and not', async () => {
    const result = await runUnitTests(cases);
    expect(result.output).toContain('SUCCESS');
    expect(result.code).toBe(0);
  });

  it('fails the harness when a down rig is expected quiet, so the run above proves something', async () => {
    const result = await runUnitTests(cases.slice(0, 1).map((c) => ({ ...c, fires: [] })));
    expect(result.code).not.toBe(0);
  });
});
