import Docker from 'dockerode';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrometheusClient } from '../../../stack/clients/prometheus-client';
import { testStackSettings } from '../../../stack/testing/test-settings';
import { nowSeconds, outage as stopWorker, sleep } from '../../../stack/testing/outages';
import type { Settings } from '../../api/schemas/settings';
import { parseSettings, saveSettings } from '../../settings/settings-file';
import { ConsoleCore } from '../console-core';
import { fireApiDownAtOnce } from '../../testing/api-down-at-once';
import { coreCaller } from '../../testing/core-calls';

// Issue 15's acceptance: an alert fired and resolved twice shows as two periods in the history,
// each start, end and duration right within one evaluation interval. The real stack (test images)
// with one inference worker, stopped and started from outside; once the worker answers, APIDown
// fires at the first evaluation that sees its target down (fireApiDownAtOnce).
const SCRAPE_S = 1;
const EVALUATION_S = 2;
const HOLD_MS = 5000;
const docker = new Docker();
const now = nowSeconds;

describe('alert history on the real stack', () => {
  let settings: Settings;
  let core: ConsoleCore;
  let prometheus: PrometheusClient;

  const call = coreCaller(() => core);
  const apiDown = async () => (await prometheus.alerts()).find((a) => a.labels.alertname === 'APIDown' && a.state === 'firing');

  beforeAll(async () => {
    const base = await testStackSettings('alert-history', { inference: true });
    settings = parseSettings({
      ...base,
      prometheus: { ...base.prometheus, scrapeInterval: `${SCRAPE_S}s` },
      alerts: { evaluationInterval: `${EVALUATION_S}s`, apiDownFor: '1m' },
    });
    const settingsFile = join(settings.dataDir, 'settings.json');
    await saveSettings(settingsFile, settings);
    core = new ConsoleCore({ settings, settingsFile, mode: 'web' });
    await core.rig.up();
    prometheus = new PrometheusClient(`http://127.0.0.1:${settings.prometheus.port}`);
  }, 120_000);

  afterAll(async () => {
    core?.close();
    await core?.stack.down().catch(() => undefined);
    await core?.stack.removeData().catch(() => undefined);
  });

  const outage = () => stopWorker(docker.getContainer(`${settings.project}-inference`), apiDown, HOLD_MS);

  it('shows two periods of APIDown with start, end and duration within one evaluation interval', async () => {
    await expect.poll(async () => (await prometheus.query('up{job="rx580-api"}')).result, { timeout: 30_000 }).toMatchObject([{ value: [expect.any(Number), '1'] }]);
    await fireApiDownAtOnce(call, prometheus);
    expect(await apiDown()).toBeUndefined();
    const testStart = now();
    const outages = [await outage(), await outage()];

    // A grid time after the last resolution: at the range's end it would still be firing.
    await sleep(EVALUATION_S * 1000 + 500);
    const history = await call('prometheus.alertHistory', { start: Math.floor(testStart) - 60, end: Math.ceil(now()) });
    expect(history.step).toBe(EVALUATION_S);
    const entries = history.entries.filter((e) => e.alertname === 'APIDown');
    expect(entries).toHaveLength(1);
    const [entry] = entries;
    expect(entry).toMatchObject({ severity: 'critical', count: 2, labels: { alertname: 'APIDown', severity: 'critical', component: 'api', job: 'rx580-api', service: 'inference' } });
    expect(entry!.labels).not.toHaveProperty('alertstate');

    const eps = 0.01;
    entry!.periods.forEach((p, i) => {
      const o = outages[i]!;
      expect(p.startedBeforeRange).toBe(false);
      expect(p.end).not.toBeNull();
      expect(p.durationSeconds).toBeCloseTo(p.end! - p.start, 6);
      // Start: the first grid time at or after the firing evaluation, so within one step after it.
      expect(p.start).toBeGreaterThanOrEqual(o.activeAt - eps);
      expect(p.start).toBeLessThanOrEqual(o.activeAt + EVALUATION_S + eps);
      // Against the wall clock: not before the stop was asked; at most a scrape (the first failed
      // one), an evaluation (the first to see it) and a step (the grid) after the worker stopped.
      expect(p.start).toBeGreaterThanOrEqual(o.stopAsked);
      expect(p.start).toBeLessThanOrEqual(o.stopped + SCRAPE_S + EVALUATION_S + EVALUATION_S + eps);
      // End: within one step after the resolving evaluation, which lies between the polls.
      expect(p.end!).toBeGreaterThanOrEqual(o.lastSeenFiring - eps);
      expect(p.end!).toBeLessThanOrEqual(o.firstSeenResolved + EVALUATION_S + eps);
      // Duration: both edges are late by less than a step, so it is right within one step.
      expect(p.durationSeconds).toBeGreaterThanOrEqual(o.lastSeenFiring - o.activeAt - EVALUATION_S - eps);
      expect(p.durationSeconds).toBeLessThanOrEqual(o.firstSeenResolved - o.activeAt + EVALUATION_S + eps);
    });
    expect(entry!.periods[1]!.start).toBeGreaterThan(entry!.periods[0]!.end!);
  }, 90_000);
});
