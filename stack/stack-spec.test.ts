import { describe, expect, it } from 'vitest';
import { parseSettings } from './settings';
import { buildStackSpec, containerCreateOptions, LABEL_PROJECT, LABEL_SERVICE } from './stack-spec';

describe('stack spec', () => {
  const settings = parseSettings({ project: 'demo', dataDir: '/data', prometheus: { port: 19090 } });
  const spec = buildStackSpec(settings);

  it('starts Alertmanager before the Prometheus that sends to it, Grafana last', () => {
    expect(spec.services.map((s) => s.service)).toEqual(['alertmanager', 'prometheus', 'grafana']);
  });

  it('leaves out services that are switched off', () => {
    const off = buildStackSpec(parseSettings({ grafana: { enabled: false } }));
    expect(off.services.map((s) => s.service)).toEqual(['alertmanager', 'prometheus']);
  });

  it('publishes on loopback only, labels what it creates, mounts config read-only and data on a named volume', () => {
    const prometheus = spec.services.find((s) => s.service === 'prometheus')!;
    const opts = containerCreateOptions(prometheus, spec);
    expect(opts.name).toBe('demo-prometheus');
    expect(opts.HostConfig?.PortBindings).toEqual({ '9090/tcp': [{ HostIp: '127.0.0.1', HostPort: '19090' }] });
    expect(opts.Labels).toEqual({ [LABEL_PROJECT]: 'demo', [LABEL_SERVICE]: 'prometheus' });
    expect(opts.HostConfig?.Binds).toEqual(['/data/demo/config/prometheus:/etc/prometheus:ro']);
    expect(opts.HostConfig?.Mounts).toEqual([{ Type: 'volume', Source: 'demo-prometheus-data', Target: '/prometheus' }]);
    expect(opts.Cmd).toContain('--web.enable-lifecycle');
    expect(opts.Cmd).toContain('--storage.tsdb.path=/prometheus');
    expect(opts.User).toBe('65534');
    expect(opts.HostConfig?.NetworkMode).toBe('demo-net');
  });

  it('runs Alertmanager as a single node, with no cluster port', () => {
    const am = containerCreateOptions(spec.services.find((s) => s.service === 'alertmanager')!, spec);
    expect(am.Cmd).toContain('--cluster.listen-address=');
    expect(Object.keys(am.ExposedPorts ?? {})).toEqual(['9093/tcp']);
  });

  it('runs Grafana as its own user with its data directory on a volume', () => {
    const grafana = containerCreateOptions(spec.services.find((s) => s.service === 'grafana')!, spec);
    expect(grafana.User).toBe('472');
    // Never the seed's admin/admin: the password comes from a secret file on a read-only volume.
    expect(grafana.Env).toContain('GF_SECURITY_ADMIN_PASSWORD__FILE=/run/secrets/rx580-ops/grafana-admin-password');
    expect(grafana.Env?.some((e) => e.startsWith('GF_SECURITY_ADMIN_PASSWORD='))).toBe(false);
    expect(grafana.HostConfig?.Mounts).toContainEqual({ Type: 'volume', Source: 'demo-grafana-secrets', Target: '/run/secrets/rx580-ops', ReadOnly: true });
    expect(grafana.HostConfig?.Mounts?.[0]?.Target).toBe('/var/lib/grafana');
    expect(grafana.HostConfig?.PortBindings?.['3000/tcp']?.[0]?.HostIp).toBe('127.0.0.1');
  });
});
