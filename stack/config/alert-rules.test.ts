import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ALERT_RULE_FILES, alertRuleGroups, renderAlertRules } from './alert-rules';
import { prometheusConfigFiles } from './prometheus-config';
import { parseSettings } from '../../electron/settings/settings-file';
import { buildStackSpec } from '../spec/stack-spec';
import { promtool, writeConfigTree } from '../testing/promtool';
import { counter, gauge, histogram, INTERVAL, requests, ruleTestRunner, series, STEPS, type Case } from '../testing/rule-cases';

// Rendered files checked by the real promtool (the host's, Debian's 2.42, as the test images).
const settings = parseSettings({});
const alerts = settings.alerts;

const ALL = [
  'HighErrorRate',
  'CriticalErrorRate',
  'HighLatency',
  'APIDown',
  'HighRequestRate',
  'ModelLoadFailures',
  'SlowInference',
  'HighMemoryUsage',
  'ContainerRestarting',
  'ContainerDown',
  'PrometheusTargetDown',
];

/** Targets as stack/prometheus-config.ts labels them. */
const PROM_TARGET = { job: 'prometheus', instance: 'localhost:9090', service: 'prometheus' };
const AM_TARGET = { job: 'alertmanager', instance: 'alertmanager:9093', service: 'alertmanager' };
const INFERENCE_TARGET = { job: 'rx580-api', instance: 'inference-card0:8000', service: 'inference', rig: 'local', gpu: 'card0' };
/** A process start time that changes `restarts` times, evenly over the 20 minutes. */
const startTimes = (labels: Record<string, string>, restarts: number) => {
  const per = Math.floor(STEPS / (restarts + 1));
  const values = Array.from({ length: restarts + 1 }, (_, k) => `${1000 + k * per * 15}x${per - 1}`);
  return series('process_start_time_seconds', labels, values.join(' '));
};

const cases: Case[] = [
  { name: '7 % 5xx fires the warning', alert: 'HighErrorRate', input: [requests('200', 600), requests('503', 48)], fires: [{}] },
  { name: '7 % 5xx is below the critical line', alert: 'CriticalErrorRate', input: [requests('200', 600), requests('503', 48)], fires: [] },
  { name: '17 % 5xx is critical', alert: 'CriticalErrorRate', input: [requests('200', 600), requests('500', 120)], fires: [{}] },
  {
    // Dividing label by label would make every 5xx series a ratio of 1 and fire here.
    name: '2 % 5xx spread over endpoints stays quiet',
    alert: 'HighErrorRate',
    input: [requests('200', 600), requests('200', 600, '/models'), requests('503', 24)],
    fires: [],
  },
  {
    name: 'slow P95 fires',
    alert: 'HighLatency',
    input: histogram('api_request_duration_seconds', { endpoint: '/predict', method: 'POST' }, { '0.05': 10, '0.1': 20, '0.25': 100, '+Inf': 100 }),
    fires: [{}],
  },
  {
    // One slow rarely-used endpoint: its own P95 is high, the API's P95 over all requests is not.
    name: 'P95 over all requests, not per endpoint',
    alert: 'HighLatency',
    input: [
      ...histogram('api_request_duration_seconds', { endpoint: '/predict', method: 'POST' }, { '0.05': 0, '0.1': 0, '0.25': 20, '+Inf': 20 }),
      ...histogram('api_request_duration_seconds', { endpoint: '/health', method: 'GET' }, { '0.05': 1000, '0.1': 1000, '0.25': 1000, '+Inf': 1000 }),
    ],
    fires: [],
  },
  {
    name: 'an API whose every worker cannot be scraped is down',
    alert: 'APIDown',
    input: [gauge('up', INFERENCE_TARGET, 0), gauge('up', { ...INFERENCE_TARGET, instance: 'inference-card1:8000', gpu: 'card1' }, 0)],
    fires: [{ job: 'rx580-api', service: 'inference' }],
  },
  {
    name: 'one worker answering keeps the API up',
    alert: 'APIDown',
    input: [gauge('up', INFERENCE_TARGET, 0), gauge('up', { ...INFERENCE_TARGET, instance: 'inference-card1:8000', gpu: 'card1' }, 1)],
    fires: [],
  },
  {
    // The seed fired on a zero request rate: an idle API is not a down one.
    name: 'an idle API that answers scrapes is up',
    alert: 'APIDown',
    input: [gauge('up', INFERENCE_TARGET, 1), requests('200', 0)],
    fires: [],
  },
  { name: '120 req/s over two series fires', alert: 'HighRequestRate', input: [requests('200', 3600), requests('200', 3600, '/health')], fires: [{}] },
  { name: '60 req/s stays quiet', alert: 'HighRequestRate', input: [requests('200', 1800), requests('200', 1800, '/health')], fires: [] },
  {
    name: 'a failed load every minute fires',
    alert: 'ModelLoadFailures',
    input: [counter('models_loaded_total', { status: 'failed' }, 1), counter('models_loaded_total', { status: 'success' }, 1)],
    fires: [{}],
  },
  {
    name: 'many successful loads and no new failures stay quiet',
    alert: 'ModelLoadFailures',
    input: [gauge('models_loaded_total', { status: 'failed' }, 2), counter('models_loaded_total', { status: 'success' }, 5)],
    fires: [],
  },
  {
    name: 'slow model fires, named',
    alert: 'SlowInference',
    input: [
      ...histogram('inference_duration_seconds', { model: 'resnet50' }, { '0.5': 0, '1': 10, '2.5': 100, '+Inf': 100 }),
      ...histogram('inference_duration_seconds', { model: 'mobilenet' }, { '0.5': 100, '1': 100, '2.5': 100, '+Inf': 100 }),
    ],
    fires: [{ model: 'resnet50' }],
  },
  {
    name: 'fast models stay quiet',
    alert: 'SlowInference',
    input: histogram('inference_duration_seconds', { model: 'mobilenet' }, { '0.5': 100, '1': 100, '2.5': 100, '+Inf': 100 }),
    fires: [],
  },
  { name: '8 GiB fires after its for duration', alert: 'HighMemoryUsage', input: [gauge('memory_usage_bytes', {}, 8 * 2 ** 30)], fires: [{}] },
  { name: '8 GiB is only pending before 5 m', alert: 'HighMemoryUsage', input: [gauge('memory_usage_bytes', {}, 8 * 2 ** 30)], evalTime: '3m', fires: [] },
  { name: '6 GiB stays quiet', alert: 'HighMemoryUsage', input: [gauge('memory_usage_bytes', {}, 6 * 2 ** 30)], fires: [] },
  {
    name: 'a worker restarted every 2 minutes fires, named by service and GPU',
    alert: 'ContainerRestarting',
    input: [startTimes(INFERENCE_TARGET, 10), gauge('process_start_time_seconds', AM_TARGET, 1000)],
    fires: [INFERENCE_TARGET],
  },
  {
    // Three kills in a row, as the live test does them: three new start times within a minute.
    name: 'three restarts within a minute fire',
    alert: 'ContainerRestarting',
    input: [series('process_start_time_seconds', INFERENCE_TARGET, `1000x60 1900 1910 1920x${STEPS - 63}`)],
    evalTime: '17m',
    fires: [INFERENCE_TARGET],
  },
  { name: 'two restarts in 10 minutes stay under the threshold', alert: 'ContainerRestarting', input: [startTimes(INFERENCE_TARGET, 2)], fires: [] },
  {
    // Not one of the stack's services: no `service` label.
    name: 'a restarting process outside the stack is not a container restart',
    alert: 'ContainerRestarting',
    input: [startTimes({ job: 'node', instance: 'elsewhere:9100' }, 10)],
    fires: [],
  },
  {
    name: 'a stopped container is down',
    alert: 'ContainerDown',
    input: [series('up', AM_TARGET, `1x7 0x${STEPS - 8}`), gauge('up', PROM_TARGET, 1)],
    fires: [AM_TARGET],
  },
  { name: 'running containers are up', alert: 'ContainerDown', input: [gauge('up', PROM_TARGET, 1), gauge('up', INFERENCE_TARGET, 1)], fires: [] },
  // A worker is WorkerDown's, which names its rig and GPU (fleet-alerts.test.ts).
  { name: 'a down worker is no ContainerDown', alert: 'ContainerDown', input: [gauge('up', PROM_TARGET, 1), gauge('up', INFERENCE_TARGET, 0)], fires: [] },
  {
    name: 'any target down fires',
    alert: 'PrometheusTargetDown',
    input: [gauge('up', INFERENCE_TARGET, 0), gauge('up', PROM_TARGET, 1)],
    fires: [INFERENCE_TARGET],
  },
  { name: 'all targets up stay quiet', alert: 'PrometheusTargetDown', input: [gauge('up', { job: 'prometheus', instance: 'localhost:9090' }, 1)], fires: [] },
];

const runUnitTests = ruleTestRunner(alerts);

describe('alert rules', () => {
  it('renders the seed 11 alerts in two groups, and the fleet\'s two in a third, evaluated at the configured interval', () => {
    const groups = alertRuleGroups(alerts);
    expect(groups.flatMap((g) => g.rules.map((r) => r.alert))).toEqual([...ALL, 'RigDown', 'WorkerDown']);
    expect(groups.map((g) => [g.name, g.rules.length, g.interval])).toEqual([
      ['rx580-api', 8, '30s'],
      ['rx580-system', 3, '30s'],
      ['rx580-fleet', 2, '30s'],
    ]);
  });

  it('takes thresholds and for durations from the settings', () => {
    const custom = parseSettings({ alerts: { apiDownFor: '15s', errorRateWarning: 0.02, evaluationInterval: '5s' } }).alerts;
    const rules = alertRuleGroups(custom).flatMap((g) => g.rules);
    expect(rules.find((r) => r.alert === 'APIDown')!.for).toBe('15s');
    expect(rules.find((r) => r.alert === 'HighErrorRate')!.expr).toMatch(/ > 0\.02$/);
    expect(alertRuleGroups(custom)[0]!.interval).toBe('5s');
  });

  it('passes promtool check rules and promtool check config, which loads the rule files it names', async () => {
    const dir = await writeConfigTree(await prometheusConfigFiles(settings, buildStackSpec(settings)));
    for (const file of Object.values(ALERT_RULE_FILES)) {
      const rules = await promtool(['check', 'rules', file], dir);
      expect(rules.output).toMatch(/SUCCESS: \d+ rules found/);
      expect(rules.code).toBe(0);
    }
    const config = await promtool(['check', 'config', 'prometheus.yml'], dir);
    expect(config.output).toContain('SUCCESS: 3 rule files found');
    expect(config.code).toBe(0);
  });

  it('covers every alert firing and not firing', () => {
    for (const alert of ALL) {
      expect(cases.some((c) => c.alert === alert && c.fires.length > 0), `${alert} firing`).toBe(true);
      expect(cases.some((c) => c.alert === alert && c.fires.length === 0), `${alert} quiet`).toBe(true);
    }
  });

  it('passes promtool test rules for all 11 alerts, firing and not', async () => {
    const result = await runUnitTests(cases);
    expect(result.output).toContain('SUCCESS');
    expect(result.code).toBe(0);
  });

  it('fails the harness on a wrong expectation, so the run above proves something', async () => {
    const wrong = cases.filter((c) => c.name === '6 GiB stays quiet').map((c) => ({ ...c, fires: [{}] }));
    const result = await runUnitTests(wrong);
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/FAILED/);
  });

  it('renders annotations from labels and values', async () => {
    const dir = await writeConfigTree(renderAlertRules(alerts));
    const test = {
      rule_files: Object.values(ALERT_RULE_FILES),
      evaluation_interval: alerts.evaluationInterval,
      tests: [
        {
          interval: INTERVAL,
          input_series: [gauge('up', AM_TARGET, 0), gauge('memory_usage_bytes', {}, 8 * 2 ** 30)],
          alert_rule_test: [
            {
              eval_time: '10m',
              alertname: 'ContainerDown',
              exp_alerts: [
                {
                  exp_labels: { ...AM_TARGET, severity: 'critical', component: 'docker' },
                  exp_annotations: {
                    summary: 'Container alertmanager is down',
                    description: 'The alertmanager service of the stack (alertmanager:9093) does not answer its scrape.',
                  },
                },
              ],
            },
            {
              eval_time: '10m',
              alertname: 'HighMemoryUsage',
              exp_alerts: [
                {
                  exp_labels: { severity: 'warning', component: 'memory' },
                  exp_annotations: { summary: 'High memory usage', description: 'The inference service uses 8GiB (threshold 7516192768 bytes).' },
                },
              ],
            },
          ],
        },
      ],
    };
    await writeFile(join(dir, 'tests.yml'), stringify(test));
    const result = await promtool(['test', 'rules', 'tests.yml'], dir);
    expect(result.output).toContain('SUCCESS');
    expect(result.code).toBe(0);
  });
});
