import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { prometheusConfigFiles, renderPrometheusConfig } from './prometheus-config';
import { QUEUE_CONFIG, REMOTE_WRITE_SECRET_FILE, remoteWriteSecrets } from './remote-write';
import { REMOTE_WRITE_SECRET_ENV, REMOTE_WRITE_TARGETS, SETTING_LEAVES, type RemoteWriteKind } from '../../electron/api/schemas/settings';
import { applyEnvOverrides, parseSettings } from '../../electron/settings/settings-file';
import { SettingsError } from '../../electron/settings/settings-error';
import { buildStackSpec, SECRETS_TARGET } from '../spec/stack-spec';
import { promtool, writeConfigTree } from '../testing/promtool';

// Rendered remote_write entries checked by shape and by the real promtool (the host's, Debian's 2.42).
const withRemoteWrite = (remoteWrite: Record<string, unknown>) => parseSettings({ prometheus: { remoteWrite: { enabled: true, ...remoteWrite } } });
const entries = (settings: ReturnType<typeof parseSettings>) => parse(renderPrometheusConfig(settings)).remote_write as unknown[];
const SECRET_PATH = `${SECRETS_TARGET}/${REMOTE_WRITE_SECRET_FILE}`;

const KINDS: [RemoteWriteKind, Record<string, unknown>, Record<string, unknown>][] = [
  ['victoriametrics', { url: 'http://victoria-metrics:8428/api/v1/write' }, {}],
  [
    'thanos',
    { url: 'https://thanos-receive.example.net:19291/api/v1/receive', tenant: 'rigs', auth: 'bearer' },
    { headers: { 'THANOS-TENANT': 'rigs' }, authorization: { type: 'Bearer', credentials_file: SECRET_PATH } },
  ],
  [
    'mimir',
    { url: 'http://mimir:9009/api/v1/push', tenant: 'rx580-fleet', auth: 'basic', username: 'rigs' },
    { headers: { 'X-Scope-OrgID': 'rx580-fleet' }, basic_auth: { username: 'rigs', password_file: SECRET_PATH } },
  ],
  ['generic', { url: 'https://metrics.example.net/ingest?source=rx580' }, {}],
];

describe('remote_write', () => {
  it('renders nothing and needs no secret while switched off (the default)', () => {
    const settings = parseSettings({});
    expect(settings.prometheus.remoteWrite).toEqual({ enabled: false, kind: 'victoriametrics', url: '', tenant: '', auth: 'none', username: '' });
    expect(parse(renderPrometheusConfig(settings))).not.toHaveProperty('remote_write');
    expect(remoteWriteSecrets(parseSettings({ prometheus: { remoteWrite: { url: 'http://vm:8428/api/v1/write', auth: 'bearer' } } }), {})).toEqual([]);
  });

  it.each(KINDS)('renders %s: its URL, tenant header and secret file, the shared queue', async (kind, input, extra) => {
    const settings = withRemoteWrite({ kind, ...input });
    const [entry, ...more] = entries(settings);
    expect(more).toEqual([]);
    expect(entry).toEqual({ name: kind, url: input.url, ...extra, queue_config: QUEUE_CONFIG });
    const { path } = REMOTE_WRITE_TARGETS[kind];
    if (path) expect(new URL(input.url as string).pathname).toBe(path);
    // The whole prometheus.yml, rule files beside it, as Prometheus will load it.
    const dir = await writeConfigTree(await prometheusConfigFiles(settings, buildStackSpec(settings)));
    const check = await promtool(['check', 'config', 'prometheus.yml'], dir);
    expect(check.output).toContain('SUCCESS');
    expect(check.code).toBe(0);
  });

  it('keeps the secret out of prometheus.yml and the settings: a file in the secrets volume, from the environment', () => {
    const settings = withRemoteWrite({ kind: 'mimir', url: 'http://mimir:9009/api/v1/push', auth: 'basic', username: 'rigs' });
    const env = { [REMOTE_WRITE_SECRET_ENV]: 'pa55-word\n' };
    expect(remoteWriteSecrets(settings, env)).toEqual([{ name: REMOTE_WRITE_SECRET_FILE, content: 'pa55-word' }]);
    expect(renderPrometheusConfig(settings)).not.toContain('pa55');
    expect(JSON.stringify(parseSettings(applyEnvOverrides({ prometheus: { remoteWrite: settings.prometheus.remoteWrite } }, env)))).not.toContain('pa55');
    expect(SETTING_LEAVES.map((l) => l.envName)).not.toContain(REMOTE_WRITE_SECRET_ENV);
    const prometheus = buildStackSpec(settings).services.find((s) => s.service === 'prometheus')!;
    expect(prometheus.secretsVolume).toBe(`${settings.project}-prometheus-secrets`);
    expect(remoteWriteSecrets(withRemoteWrite({ url: 'http://vm:8428/api/v1/write' }), env)).toEqual([]);
  });

  it.each([
    ['basic', 'password'],
    ['bearer', 'bearer token'],
  ])('refuses to start with auth %s and no secret, naming the variable', (auth, what) => {
    const settings = withRemoteWrite({ url: 'http://vm:8428/api/v1/write', auth, ...(auth === 'basic' ? { username: 'rigs' } : {}) });
    for (const env of [{}, { [REMOTE_WRITE_SECRET_ENV]: '  ' }]) {
      expect(() => remoteWriteSecrets(settings, env)).toThrow(`Prometheus needs the ${what}: set ${REMOTE_WRITE_SECRET_ENV}`);
    }
  });

  it('takes every field from its derived environment variable', () => {
    const env = {
      RX580_OPS_PROMETHEUS_REMOTE_WRITE_ENABLED: 'true',
      RX580_OPS_PROMETHEUS_REMOTE_WRITE_KIND: 'mimir',
      RX580_OPS_PROMETHEUS_REMOTE_WRITE_URL: 'http://mimir:9009/api/v1/push',
      RX580_OPS_PROMETHEUS_REMOTE_WRITE_TENANT: 'fleet',
      RX580_OPS_PROMETHEUS_REMOTE_WRITE_AUTH: 'basic',
      RX580_OPS_PROMETHEUS_REMOTE_WRITE_USERNAME: 'rigs',
    };
    expect(parseSettings(applyEnvOverrides({}, env)).prometheus.remoteWrite).toEqual({
      enabled: true,
      kind: 'mimir',
      url: 'http://mimir:9009/api/v1/push',
      tenant: 'fleet',
      auth: 'basic',
      username: 'rigs',
    });
  });

  it.each([
    [{ url: 'http://rigs:s3cret@vm:8428/api/v1/write' }, `prometheus.remoteWrite.url: no credentials in the URL (it is kept in the settings file): set auth to basic, the user name in username, and the password in ${REMOTE_WRITE_SECRET_ENV}`],
    [{ url: 'http://token@vm:8428/api/v1/write' }, 'prometheus.remoteWrite.url: no credentials in the URL'],
    [{ kind: 'mimir', url: 'http://mimir:9009' }, 'prometheus.remoteWrite.url: Mimir takes samples at /api/v1/push: write http://mimir:9009/api/v1/push'],
    [{ kind: 'thanos', url: 'http://receive:19291/' }, 'prometheus.remoteWrite.url: Thanos Receive takes samples at /api/v1/receive: write http://receive:19291/api/v1/receive'],
    [{ url: 'http://victoria-metrics:8428' }, 'VictoriaMetrics takes samples at /api/v1/write: write http://victoria-metrics:8428/api/v1/write'],
    [{ url: 'victoria-metrics:8428/api/v1/write' }, 'prometheus.remoteWrite.url: scheme "victoria-metrics" is not supported: use http:// or https://'],
    [{ url: 'not a url' }, 'prometheus.remoteWrite.url: not a URL'],
    [{ url: 'http://vm:8428/api/v1/write#x' }, 'prometheus.remoteWrite.url: a write URL has no fragment ("#x")'],
    [{}, "prometheus.remoteWrite.url: the receiver's write URL is needed"],
    [{ url: 'http://vm:8428/api/v1/write', tenant: 'a' }, 'prometheus.remoteWrite.tenant: VictoriaMetrics takes no tenant header: leave it empty (a VictoriaMetrics cluster takes the tenant in the URL'],
    [{ kind: 'generic', url: 'http://x/w', tenant: 'a' }, 'prometheus.remoteWrite.tenant: A remote_write receiver takes no tenant header'],
    [{ kind: 'mimir', url: 'http://mimir:9009/api/v1/push', tenant: 'a b' }, 'prometheus.remoteWrite.tenant: letters, digits and'],
    [{ url: 'http://vm:8428/api/v1/write', auth: 'basic' }, 'prometheus.remoteWrite.username: basic auth needs a user name'],
    [{ url: 'http://vm:8428/api/v1/write', username: 'rigs' }, 'prometheus.remoteWrite.username: a user name goes with auth basic'],
    [{ url: 'http://vm:8428/api/v1/write', auth: 'basic', username: 'a:b' }, 'prometheus.remoteWrite.username: basic auth forbids a colon'],
    [{ kind: 'influxdb', url: 'http://x/w' }, 'prometheus.remoteWrite.kind: '],
    [{ auth: 'digest', url: 'http://vm:8428/api/v1/write' }, 'prometheus.remoteWrite.auth: '],
  ])('refuses %j with a message on the field', (input, message) => {
    expect(() => withRemoteWrite(input)).toThrow(SettingsError);
    expect(() => withRemoteWrite(input)).toThrow(message);
  });

  it('checks a URL kept while switched off, so a bad one shows before it is switched on', () => {
    expect(() => parseSettings({ prometheus: { remoteWrite: { url: 'http://u:p@vm:8428/api/v1/write' } } })).toThrow('no credentials in the URL');
  });
});
