import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { NotificationService } from '../../../stack/notifications/notification-service';
import { notificationSettingsSchema } from '../../../stack/notifications/notification-settings';
import type { StackManager } from '../../../stack/engine/stack-manager';
import { configDirFor } from '../../../stack/spec/stack-spec';
import { TEST_TMP_ENV } from '../../../stack/testing/test-tmp-setup';
import type { ApiHandlers } from '../../api/contract';
import type { RoutePreview } from '../../api/schemas/route-preview';
import { parseSettings } from '../../settings/settings-file';
import { dispatchApiCall } from '../dispatch';
import { notificationsHandlers } from './notifications-handlers';

// The routing preview through the contract, with no engine: it walks the saved configuration
// whether Alertmanager runs or not (this stack never starts).
describe('notifications.routePreview through the contract', () => {
  let service: NotificationService;
  let call: (method: string, ...args: unknown[]) => ReturnType<typeof dispatchApiCall>;
  const preview = async (labels: Record<string, string>) => {
    const res = await call('notifications.routePreview', labels);
    expect(res.status).toBe(200);
    return (res.body as { ok: true; result: RoutePreview }).result;
  };

  beforeEach(async () => {
    const dataDir = await mkdtemp(join(process.env[TEST_TMP_ENV] ?? tmpdir(), 'route-preview-'));
    const settings = parseSettings({ dataDir, project: 'preview' });
    // Never called: the preview reads the saved configuration only.
    service = new NotificationService({ settings, stack: {} as StackManager });
    const handlers = notificationsHandlers(service) as unknown as ApiHandlers;
    call = (method, ...args) => dispatchApiCall(handlers, method, args);
  });

  it('routes by the saved settings and the routes an import kept, without Alertmanager', async () => {
    expect((await preview({ severity: 'critical' })).routes.map((r) => [r.receiver, r.integrations])).toEqual([['critical', []]]);
    await service.store.save({
      settings: notificationSettingsSchema.parse({
        receivers: { slack: { enabled: true, severities: { critical: true }, webhookUrl: 'https://hooks.slack.com/services/T0/B0/storedSecret' } },
      }),
      preserved: { receivers: [{ name: 'pager', webhook_configs: [{ url: 'http://127.0.0.1:9/pagerSecret' }] }], routes: [{ receiver: 'pager', matchers: ['team="db"'], continue: true }] },
      kept: [],
    });
    const critical = await preview({ severity: 'critical', alertname: 'APIDown' });
    expect(critical.routes).toMatchObject([{ receiver: 'critical', integrations: [{ kind: 'slack', count: 1 }], groupWait: '10s', repeatInterval: '1h', groupInterval: '5m' }]);
    expect(critical.routes[0]!.path.map((n) => n.receiver)).toEqual(['default', 'critical']);
    const db = await preview({ team: 'db', severity: 'warning', component: 'inference' });
    expect(db.routes.map((r) => r.receiver)).toEqual(['warning']);
    expect(db.inhibitions.map((i) => i.index)).toEqual([0, 1]);
    expect((await preview({ team: 'db' })).routes.map((r) => r.receiver)).toEqual(['pager']);
    expect(JSON.stringify(await preview({ team: 'db' }))).not.toMatch(/Secret/);
  });

  it('walks the file Alertmanager keeps running when the stored secrets cannot be read', async () => {
    const settings = (service as unknown as { options: { settings: Parameters<typeof configDirFor>[0] } }).options.settings;
    await mkdir(configDirFor(settings, 'alertmanager'), { recursive: true });
    await writeFile(join(configDirFor(settings, 'alertmanager'), 'alertmanager.yml'), 'route:\n  receiver: running\nreceivers:\n  - name: running\n');
    await mkdir(service.store.dir, { recursive: true });
    await writeFile(join(service.store.dir, 'secrets.enc'), 'not encrypted by this key');
    expect((await preview({ severity: 'critical' })).routes.map((r) => r.receiver)).toEqual(['running']);
  });

  it.each([
    [[{ 'bad-name': 'x' }], '0.bad-name', /not a valid label name/],
    [[{ a: 'x'.repeat(1001) }], '0.a', /at most 1000 characters/],
    [[Object.fromEntries(Array.from({ length: 31 }, (_, i) => [`l${i}`, 'v']))], '0', /at most 30 labels/],
    [[{ a: 1 }], '0.a', /expected string/],
    [['severity=critical'], '0', /expected record/],
    [[], '', /expected array to have >=1 items/],
    [[{ a: 'b' }, 'extra'], '', /too big|at most/i],
  ])('answers 400 with the field for bad labels: %j', async (args, path, message) => {
    const res = await dispatchApiCall(notificationsHandlers(service) as unknown as ApiHandlers, 'notifications.routePreview', args);
    expect(res.status).toBe(400);
    const error = (res.body as { ok: false; error: { code: string; issues: { path: string; message: string }[] } }).error;
    expect(error.code).toBe('BAD_ARGUMENT');
    expect(error.issues.find((i) => i.path === path)?.message, JSON.stringify(error.issues)).toMatch(message);
  });

  it('lists the labels of the console’s own alert rules to try', async () => {
    const res = await call('notifications.ruleLabels');
    const rules = (res.body as { ok: true; result: { alert: string; labels: Record<string, string> }[] }).result;
    expect(rules).toHaveLength(13);
    expect(rules.find((r) => r.alert === 'HighErrorRate')?.labels).toEqual({ alertname: 'HighErrorRate', severity: 'warning', component: 'api' });
  });
});
