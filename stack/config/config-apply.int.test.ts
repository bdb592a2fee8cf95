import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigRejectedError, type ConfigValidator } from './config-apply';
import { StackManager } from '../engine/stack-manager';
import { testStackSettings } from '../testing/test-settings';

// Live config changes on the real stack: validated by the images' own promtool and amtool.
describe('applying config live', () => {
  let manager: StackManager;
  let promPort: number;
  let amPort: number;
  let promFile: string;

  const liveScrapeInterval = async () => {
    const body = (await (await fetch(`http://127.0.0.1:${promPort}/api/v1/status/config`)).json()) as { data: { yaml: string } };
    return parse(body.data.yaml).global.scrape_interval as string;
  };
  const liveAlertmanagerConfig = async () => {
    const body = (await (await fetch(`http://127.0.0.1:${amPort}/api/v2/status`)).json()) as { config: { original: string } };
    return body.config.original;
  };
  const promConfig = (interval: string) => `global:\n  scrape_interval: ${interval}\nscrape_configs:\n  - job_name: prometheus\n    static_configs:\n      - targets: [localhost:9090]\n`;

  beforeAll(async () => {
    manager = new StackManager({ settings: await testStackSettings('apply') });
    await manager.up();
    promPort = manager.settings.prometheus.port;
    amPort = manager.settings.alertmanager.port;
    promFile = join(manager.spec.services.find((s) => s.service === 'prometheus')!.configDir!, 'prometheus.yml');
  }, 120_000);

  afterAll(async () => {
    await manager.down().catch(() => undefined);
    await manager.removeData().catch(() => undefined);
  });

  it('applies a valid change without a restart', async () => {
    const startedAt = (await manager.status()).services.find((s) => s.name === 'prometheus')!.startedAt;
    await manager.applyServiceConfig('prometheus', { 'prometheus.yml': promConfig('7s') });
    expect(await liveScrapeInterval()).toBe('7s');
    expect((await manager.status()).services.find((s) => s.name === 'prometheus')!.startedAt).toBe(startedAt);
  }, 60_000);

  it("refuses an invalid Prometheus config with promtool's reason; the previous one stays live and on disk", async () => {
    const before = await readFile(promFile, 'utf8');
    const err = await manager.applyServiceConfig('prometheus', { 'prometheus.yml': promConfig('banana') }).catch((e) => e);
    expect(err).toBeInstanceOf(ConfigRejectedError);
    expect(err.stage).toBe('validate');
    expect(err.message).toMatch(/^prometheus refused the new configuration: .*banana/s);
    expect(await liveScrapeInterval()).toBe('7s');
    expect(await readFile(promFile, 'utf8')).toBe(before);
  }, 60_000);

  it("refuses an invalid Alertmanager config with amtool's reason; the live config is unchanged", async () => {
    const before = await liveAlertmanagerConfig();
    const broken = 'route:\n  receiver: nobody-by-that-name\nreceivers:\n  - name: default\n';
    const err = await manager.applyServiceConfig('alertmanager', { 'alertmanager.yml': broken }).catch((e) => e);
    expect(err).toBeInstanceOf(ConfigRejectedError);
    expect(err.message).toMatch(/nobody-by-that-name/);
    expect(await liveAlertmanagerConfig()).toBe(before);
  }, 60_000);

  it('rolls back when the service itself rejects the reload', async () => {
    // A validator with a gap (say, an older promtool than the server) lets through a config the
    // server refuses; the rollback must still leave the previous config live and on disk.
    const lenient: ConfigValidator = async () => null;
    const withGap = new StackManager({ settings: manager.settings, validateConfig: lenient });
    const before = await readFile(promFile, 'utf8');
    const err = await withGap.applyServiceConfig('prometheus', { 'prometheus.yml': promConfig('banana') }).catch((e) => e);
    expect(err).toBeInstanceOf(ConfigRejectedError);
    expect(err.stage).toBe('reload');
    expect(err.message).toMatch(/^prometheus failed to reload the new configuration, so the previous one was restored: /);
    expect(await readFile(promFile, 'utf8')).toBe(before);
    expect(await liveScrapeInterval()).toBe('7s');
    const metrics = await (await fetch(`http://127.0.0.1:${promPort}/metrics`)).text();
    expect(metrics).toMatch(/^prometheus_config_last_reload_successful 1$/m);
  }, 60_000);
});
