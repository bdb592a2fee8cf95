import type Docker from 'dockerode';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDocker } from '../engine/docker-engine';
import { LABEL_PROJECT } from '../spec/stack-spec';
import { freePort, testStackSettings } from '../testing/test-settings';
import { hostListenPlan } from '../../electron/core/host-listen';
import { call, startTestService, type TestService } from '../../inference/testing/test-service';

/**
 * A real Prometheus (the test image) in a container scrapes the service through
 * host.docker.internal (ExtraHosts host-gateway), which works because the service listens on
 * the Docker host-gateway address besides 127.0.0.1 (and on nothing else).
 */
describe('Prometheus scrapes the inference service', () => {
  let svc: TestService;
  let container: Docker.Container | null = null;
  let configDir = '';
  let promPort = 0;
  const docker = connectDocker();

  beforeAll(async () => {
    const settings = await testStackSettings('inference-scrape');
    // Host mode's listen plan: 127.0.0.1 plus the host-gateway address the engine names.
    svc = await startTestService({ listen: (await hostListenPlan()).addresses });
    expect(svc.addresses[0]).toBe('127.0.0.1');
    expect(svc.addresses).toHaveLength(2);
    expect(svc.addresses).not.toContain('0.0.0.0');
    configDir = await mkdtemp(join(tmpdir(), 'rx580-inference-prom-'));
    await chmod(configDir, 0o755);
    const config = {
      global: { scrape_interval: '1s', evaluation_interval: '1s' },
      scrape_configs: [{ job_name: 'inference', static_configs: [{ targets: [`host.docker.internal:${svc.port}`] }] }],
    };
    await writeFile(join(configDir, 'prometheus.yml'), stringify(config), { mode: 0o644 });
    promPort = await freePort();
    container = await docker.createContainer({
      name: `${settings.project}-prometheus`,
      Image: settings.prometheus.image,
      Labels: { [LABEL_PROJECT]: settings.project },
      ExposedPorts: { '9090/tcp': {} },
      HostConfig: {
        PortBindings: { '9090/tcp': [{ HostIp: '127.0.0.1', HostPort: String(promPort) }] },
        Binds: [`${configDir}:/etc/prometheus:ro`],
        ExtraHosts: ['host.docker.internal:host-gateway'],
      },
    });
    await container.start();
  });

  afterAll(async () => {
    await container?.remove({ force: true, v: true }).catch(() => {});
    await svc?.stop();
    if (configDir) await rm(configDir, { recursive: true, force: true });
  });

  it('reports up == 1 and the seed metrics under job "inference"', async () => {
    await call(svc, 'POST', '/models/load', { path: 'digits.onnx' });
    await call(svc, 'POST', '/predict', { model_name: 'digits', inputs: { image: { dims: [1, 1, 28, 28], data: new Array(784).fill(0) } } });
    const query = async (q: string) => {
      const res = await fetch(`http://127.0.0.1:${promPort}/api/v1/query?query=${encodeURIComponent(q)}`).catch(() => null);
      if (!res?.ok) return [];
      return ((await res.json()) as { data: { result: { metric: Record<string, string>; value: [number, string] }[] } }).data.result;
    };
    // Polls until the series shows up (the first scrapes may come before it exists).
    const eventually = async (q: string) => {
      const deadline = Date.now() + 60_000;
      for (;;) {
        const result = await query(q);
        if (result.length > 0 || Date.now() > deadline) return result;
        await new Promise((r) => setTimeout(r, 500));
      }
    };
    expect((await eventually('up{job="inference"} == 1'))[0]?.value[1]).toBe('1');
    expect((await eventually('predictions_total{job="inference"}'))[0]?.metric.model).toBe('digits');
    expect((await eventually('api_requests_total{job="inference",endpoint="/predict"}'))[0]?.metric).toMatchObject({ method: 'POST', status: '200' });
    // The scrapes of /metrics are counted under their route template too.
    expect(await eventually('api_requests_total{job="inference",endpoint="/metrics"}')).toHaveLength(1);
  }, 90_000);
});
