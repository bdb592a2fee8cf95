import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { renderAlertmanagerConfig, TEST_LABEL } from '../config/alertmanager-config';
import { Amtool, quoteMatcherValue } from '../testing/amtool';
import { labelsFor, leafPaths, pathKey } from '../testing/route-samples';
import { importAlertmanagerConfig } from './alertmanager-import';
import { notificationSettingsSchema, RECEIVER_KINDS } from './notification-settings';
import { previewRoute, routeTree } from './route-preview';

const FIXTURE = new URL('./fixtures/nested-routes-alertmanager.yml', import.meta.url);
const SECRETS = ['secretSlack', 'secretDiscord', 'secretPass', 'secretHook', 'fixtureSlackSecret', 'fixture-pagerduty-key', '127.0.0.1'];

/** The console's config with every kind enabled for some severity: test, severity and default routes. */
const consoleYaml = () =>
  renderAlertmanagerConfig({
    notifications: notificationSettingsSchema.parse({
      receivers: {
        slack: { enabled: true, severities: { critical: true }, webhookUrl: 'https://hooks.slack.com/services/T0/B0/secretSlack' },
        discord: { enabled: true, severities: { critical: true, warning: true }, webhookUrl: 'https://discord.com/api/webhooks/1/secretDiscord' },
        email: { enabled: true, severities: { warning: true }, smtpHost: 'smtp.example.com', from: 'am@example.com', to: 'ops@example.com', username: 'am', password: 'secretPass' },
        webhook: { enabled: true, severities: { warning: true }, url: 'http://127.0.0.1:9/secretHook' },
      },
    }),
  });

const fixture = async () => parse(await readFile(FIXTURE, 'utf8')) as Record<string, unknown>;
const receiversOf = (config: unknown, labels: Record<string, string>) => previewRoute(config, labels).routes.map((r) => r.receiver);

describe('previewRoute', () => {
  it('inherits receiver, grouping and timings down the tree, and names each node on the way', async () => {
    const p = previewRoute(await fixture(), { team: 'database', env: 'staging', region: 'us' });
    expect(p.routes).toHaveLength(1);
    const [leaf] = p.routes;
    expect(pathKey(leaf!.path)).toBe('root/1/1/0');
    expect(leaf!.path.map((n) => n.receiver)).toEqual(['ops-default', 'dba', null, 'staging-sink']);
    expect(leaf!.path[3]!.matchers).toEqual([
      { name: 'env', value: 'staging', isRegex: false, isEqual: true },
      { name: 'region', value: 'eu', isRegex: false, isEqual: false },
    ]);
    expect(leaf).toMatchObject({
      receiver: 'staging-sink',
      integrations: [],
      groupBy: ['alertname'],
      groupWait: '20s',
      groupInterval: '2m',
      repeatInterval: '4h',
      muteTimeIntervals: ['weekends'],
      activeTimeIntervals: [],
    });
  });

  it('fans out through continue: true, in order, with each route its own options', async () => {
    const p = previewRoute(await fixture(), { severity: 'critical', component: 'api', alertname: 'HighLatency' });
    expect(p.routes.map((r) => [pathKey(r.path), r.receiver])).toEqual([
      ['root/0', 'audit-log'],
      ['root/2/0', 'app-latency'],
      ['root/3', 'app-chat'],
    ]);
    expect(p.routes[0]).toMatchObject({ groupBy: ['...'], groupWait: '20s', integrations: [{ kind: 'webhook', count: 1 }] });
    expect(p.routes[1]).toMatchObject({ groupBy: ['alertname'], groupWait: '1m' });
    expect(p.routes[0]!.path[1]!.continue).toBe(true);
  });

  it('lands on the root with no labels, with Alertmanager defaults where the root sets none', () => {
    const p = previewRoute({ route: { receiver: 'r' }, receivers: [{ name: 'r' }] }, {});
    expect(p.routes).toEqual([
      { path: [{ index: null, matchers: [], receiver: 'r', continue: false }], receiver: 'r', integrations: [], groupBy: [], groupWait: '30s', groupInterval: '5m', repeatInterval: '4h', muteTimeIntervals: [], activeTimeIntervals: [] },
    ]);
  });

  it('names the inhibit rules whose target side matches, with their source side and equal labels', async () => {
    const p = previewRoute(await fixture(), { severity: 'warning', team: 'data-eng', component: 'api' });
    expect(p.inhibitions).toEqual([
      { index: 0, sourceMatchers: [{ name: 'severity', value: 'critical', isRegex: false, isEqual: true }], equal: ['component'], matchesSource: false },
      { index: 1, sourceMatchers: [{ name: 'alertname', value: 'MaintenanceWindow', isRegex: false, isEqual: true }], equal: [], matchesSource: false },
    ]);
    expect(previewRoute(await fixture(), { severity: 'critical' }).inhibitions).toEqual([]);
  });

  it('reports integration kinds and counts, never an address or a secret', async () => {
    for (const config of [parse(consoleYaml()), await fixture()]) {
      for (const labels of [{ severity: 'critical' }, { severity: 'warning', component: 'api' }, { team: 'database', severity: 'page' }, {}] as Record<string, string>[]) {
        const text = JSON.stringify(previewRoute(config, labels));
        for (const s of SECRETS) expect(text).not.toContain(s);
      }
    }
    expect(previewRoute(await fixture(), { component: 'inference' }).routes[0]!.integrations).toEqual([{ kind: 'webhook', count: 2 }]);
    expect(previewRoute(parse(consoleYaml()), { severity: 'critical' }).routes[0]!.integrations).toEqual([
      { kind: 'slack', count: 1 },
      { kind: 'discord', count: 1 },
    ]);
  });

  it.each([
    [{}, /no `route`/],
    [{ route: {}, receivers: [{ name: 'a' }] }, /root route names no receiver/],
    [{ route: { receiver: 'a' } }, /list of `receivers`/],
    [{ route: { receiver: 'a', routes: [{ receiver: 'b' }] }, receivers: [{ name: 'a' }] }, /route 0: the receiver "b" is not defined/],
    [{ route: { receiver: 'a', matchers: ['x="1"'] }, receivers: [{ name: 'a' }] }, /root route has matchers/],
    [{ route: { receiver: 'a', routes: [{ matchers: ['x=="1"'] }] }, receivers: [{ name: 'a' }] }, /route 0: the value of "x=="1"" has an unescaped double quote/],
    [{ route: { receiver: 'a', routes: [{ matchers: ['nope'] }] }, receivers: [{ name: 'a' }] }, /"nope" is not a matcher/],
    [{ route: { receiver: 'a', routes: [{ routes: [{ matchers: ['x=~"("'] }] }] }, receivers: [{ name: 'a' }] }, /regex "\(" is not valid/],
    [{ route: { receiver: 'a', group_wait: 'soon' }, receivers: [{ name: 'a' }] }, /group_wait "soon" is not a duration/],
    [{ route: { receiver: 'a', routes: 'x' }, receivers: [{ name: 'a' }] }, /routes must be a list/],
    [{ route: { receiver: 'a' }, receivers: [{ name: 'a' }], inhibit_rules: [{ target_match: 'x' }] }, /inhibit rule 0: target_match must map/],
  ])('refuses a config Alertmanager would refuse, saying where: %j', (config, message) => {
    expect(() => previewRoute(config, { x: '1' })).toThrow(message);
    try {
      previewRoute(config, { x: '1' });
    } catch (err) {
      expect(err).toMatchObject({ status: 422 });
    }
  });
});

describe('the routing preview agrees with amtool config routes test', () => {
  let amtool: Amtool;
  beforeAll(async () => {
    amtool = await Amtool.start();
  });
  afterAll(() => amtool?.close());

  /** Every leaf, with labels derived to reach it, and the extra label sets: the receivers, in order, must be amtool's. */
  async function agree(yaml: string, extra: Record<string, string>[]): Promise<number> {
    const config = parse(yaml) as unknown;
    const file = await amtool.write(yaml);
    const derived = leafPaths(routeTree(config)).map((path) => {
      const labels = labelsFor(path);
      expect(labels, `labels reaching ${pathKey(path.map((r) => r.node))}`).not.toBeNull();
      return { labels: labels!, leaf: pathKey(path.map((r) => r.node)) };
    });
    const cases = [...derived, ...extra.map((labels) => ({ labels, leaf: null }))];
    await Promise.all(
      cases.map(async ({ labels, leaf }) => {
        const preview = previewRoute(config, labels);
        if (leaf) expect(preview.routes.map((r) => pathKey(r.path)), `${JSON.stringify(labels)} reaches ${leaf}`).toContain(leaf);
        expect(preview.routes.map((r) => r.receiver), JSON.stringify(labels)).toEqual(await amtool.routes(file, labels));
      }),
    );
    return derived.length;
  }

  it('on the config the console renders: test routes, severity routes and the default', async () => {
    const yaml = consoleYaml();
    const leaves = await agree(yaml, [{}, { alertname: 'X', severity: 'info' }, { severity: 'critical', [TEST_LABEL]: 'email' }, { [TEST_LABEL]: 'nope', severity: 'warning' }]);
    expect(leaves).toBe(RECEIVER_KINDS.length + 2);
  });

  it('on a hand-written file with nested routes, continue: true, match, match_re and every matcher syntax', async () => {
    const leaves = await agree(await readFile(FIXTURE, 'utf8'), [
      {},
      { alertname: 'Nothing', severity: 'info' },
      { team: 'database' },
      { team: 'database', instance: 'db-1', env: 'staging' },
      { severity: 'critical', team: 'database' },
      { severity: 'info', component: 'api' },
      { severity: 'critical', component: 'inference', alertname: 'HIGHLOAD', code: '503', path: '/v1/x', service: 'gpu', card: 'card0' },
      { summary: 'disk full', component: 'api' },
      { summary: 'disk\tfull', component: 'api' },
      { code: '50', path: '/v1/' },
    ]);
    expect(leaves).toBe(8);
  });

  it('on the console’s render of that file once imported', async () => {
    const imported = importAlertmanagerConfig(await readFile(FIXTURE, 'utf8'));
    const yaml = renderAlertmanagerConfig({ notifications: imported.settings, preserved: imported.preserved });
    await agree(yaml, [{}, { severity: 'critical', component: 'api', alertname: 'HighLatency' }, { team: 'database', severity: 'warning' }]);
  });

  it('on regexes in Go’s syntax, each value tested against all of them', async () => {
    const regexes = ['a.b', '(?s)a.b', 'disk\\sfull', '(?i)abc', '[[:digit:]]+', '[]a]+', '[^]a]', '\\Qfoo.bar\\E', '.', '\\d+|x', '\\x{e9}', '\\p{Greek}+', '(?P<n>ab)c', 'a\\-b', '(?m)^abc$', '\\Aab\\z'];
    const values = ['a\rb', 'a\nb', 'axb', 'disk full', 'disk\tfull', 'disk\vfull', 'ABC', 'abc', '123', ']]a', 'b', 'foo.bar', 'fooxbar', 'é', 'αβγ', 'abc\n', 'a-b', 'ab', '😀', ''];
    const receivers = regexes.map((_, i) => ({ name: `re${i}` }));
    const routes = regexes.map((re, i) => ({ receiver: `re${i}`, matchers: [`v=~${quoteMatcherValue(re)}`], continue: true }));
    const yaml = stringify({ route: { receiver: 'none', routes }, receivers: [{ name: 'none' }, ...receivers] });
    const config = parse(yaml) as unknown;
    const file = await amtool.write(yaml);
    for (const v of values) expect(receiversOf(config, { v }), JSON.stringify(v)).toEqual(await amtool.routes(file, { v }));
  });
});
