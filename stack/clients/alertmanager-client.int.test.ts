import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertmanagerApiError, AlertmanagerClient } from './alertmanager-client';
import { alertmanagerAlone } from '../testing/alertmanager-alone';

// Against a real Alertmanager (test image).
describe('AlertmanagerClient', () => {
  let client: AlertmanagerClient;

  let stop: () => Promise<void>;

  beforeAll(async () => {
    ({ client, stop } = await alertmanagerAlone('amclient'));
  }, 120_000);

  afterAll(() => stop?.());

  it('reads the version and the loaded config', async () => {
    const status = await client.status();
    expect(status.versionInfo.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(status.config.original).toMatch(/receiver: default/);
  });

  it('posts an alert, lists it, silences it and expires the silence', async () => {
    const alertname = `ClientTest${Date.now()}`;
    await client.postAlerts([{ labels: { alertname, severity: 'warning' }, annotations: { summary: 'from the client test' } }]);
    const listed = await client.alerts({ filter: [`alertname="${alertname}"`] });
    expect(listed).toHaveLength(1);
    expect(listed[0]!.annotations.summary).toBe('from the client test');
    expect(listed[0]!.status.state).toBe('active');

    const now = Date.now();
    const id = await client.createSilence({
      matchers: [{ name: 'alertname', value: alertname }],
      startsAt: new Date(now).toISOString(),
      endsAt: new Date(now + 3_600_000).toISOString(),
      createdBy: 'test',
      comment: 'client test',
    });
    await expect.poll(async () => (await client.alerts({ filter: [`alertname="${alertname}"`] }))[0]?.status.silencedBy).toEqual([id]);
    expect((await client.silences()).find((s) => s.id === id)?.status.state).toBe('active');

    await client.expireSilence(id);
    expect((await client.silences()).find((s) => s.id === id)?.status.state).toBe('expired');
    await expect.poll(async () => (await client.alerts({ filter: [`alertname="${alertname}"`] }))[0]?.status.silencedBy).toEqual([]);
  });

  it('reads its own metrics as text, the notification counters among them', async () => {
    expect(await client.metrics()).toMatch(/^alertmanager_notification_requests_total\{[^}]*integration="slack"[^}]*\} \d+$/m);
  });

  it("passes on Alertmanager's own error for a bad silence", async () => {
    const err = await client
      .createSilence({ matchers: [], startsAt: new Date().toISOString(), endsAt: new Date().toISOString(), createdBy: 't', comment: 'c' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AlertmanagerApiError);
    // 400 or 422 by version; either way a client error with Alertmanager's words, not a JSON blob.
    expect((err as AlertmanagerApiError).status).toBeGreaterThanOrEqual(400);
    expect((err as AlertmanagerApiError).status).toBeLessThan(500);
    expect((err as Error).message).not.toMatch(/^\{/);
    expect((err as Error).message.length).toBeGreaterThan(0);
  });

  it('says the service is not answering, with a 503, when nothing listens', async () => {
    const err = await new AlertmanagerClient('http://127.0.0.1:9').status().catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'ALERTMANAGER_UNREACHABLE', status: 503 });
  });
});
