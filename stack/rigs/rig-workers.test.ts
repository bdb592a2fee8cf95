import { describe, expect, it } from 'vitest';
import type { StoredRig } from '../../electron/api/schemas/rigs';
import { parseSettings } from '../../electron/settings/settings-file';
import { RIG_WORKER_HEALTHCHECK } from '../spec/inference-spec';
import { LABEL_PROJECT, LABEL_SERVICE, LABEL_WORKER } from '../spec/stack-spec';
import { rigTargets, rigScrapeJobs } from '../config/rig-scrape-jobs';
import { LABEL_RIG, rigWorkerCreateOptions, rigWorkerSpecs } from './rig-workers';

const settings = parseSettings({ project: 'demo', dataDir: '/data', inference: { port: 18000, rateLimit: 50, rateLimitBurst: 10 } });
const rig: StoredRig = {
  name: 'rig-b',
  endpoint: { protocol: 'ssh', host: 'rig-b.lan', port: 22, username: 'ops' },
  address: '10.0.0.12',
  gpus: 'all',
  sysfs: '/sys',
  auth: 'agent',
  hostKey: 'SHA256:x',
};
const cards = [
  { name: 'card0', nodes: ['/dev/dri/card0', '/dev/dri/renderD128'] },
  { name: 'card1', nodes: ['/dev/dri/card1', '/dev/dri/renderD129'] },
];

describe('a rig\'s workers', () => {
  it('runs one worker per selected card, each with only its own nodes, published on the rig\'s address', () => {
    const specs = rigWorkerSpecs(settings, { ...rig, gpus: ['card1'] }, cards, 'rx580-ops/inference:abc', [44, 109]);
    expect(specs.map((s) => [s.containerName, s.worker, s.hostPort, s.image])).toEqual([['demo-rig-b-inference-card1', 'card1', 18000, 'rx580-ops/inference:abc']]);
    const opts = rigWorkerCreateOptions(specs[0]!, rig, 'demo', RIG_WORKER_HEALTHCHECK);
    expect(opts.HostConfig?.PortBindings).toEqual({ '8000/tcp': [{ HostIp: '10.0.0.12', HostPort: '18000' }] });
    expect(opts.HostConfig?.Devices?.map((d: { PathOnHost: string }) => d.PathOnHost)).toEqual(['/dev/dri/card1', '/dev/dri/renderD129']);
    // Opened as the rig's own render and video groups.
    expect(opts.HostConfig?.GroupAdd).toEqual(['44', '109']);
    expect(opts.Labels).toEqual({ [LABEL_PROJECT]: 'demo', [LABEL_SERVICE]: 'inference', [LABEL_WORKER]: 'card1', [LABEL_RIG]: 'rig-b' });
    expect(opts.HostConfig?.RestartPolicy).toEqual({ Name: 'unless-stopped' });
  });

  it('always requires the rig\'s API key and serves TLS, from its secrets volume, rate-limited as set', () => {
    const [spec] = rigWorkerSpecs(settings, rig, [], 'img');
    expect(spec!.worker).toBe('cpu');
    expect(spec!.env).toEqual(
      expect.arrayContaining([
        'RX580_OPS_INFERENCE_REQUIRE_API_KEY=true',
        'RX580_OPS_INFERENCE_API_KEYS_FILE=/run/secrets/rx580-ops/api-keys',
        'RX580_OPS_INFERENCE_TLS_CERT_FILE=/run/secrets/rx580-ops/tls.crt',
        'RX580_OPS_INFERENCE_TLS_KEY_FILE=/run/secrets/rx580-ops/tls.key',
        'RX580_OPS_INFERENCE_RATE_LIMIT=50',
        'RX580_OPS_INFERENCE_RATE_LIMIT_BURST=10',
      ]),
    );
    const opts = rigWorkerCreateOptions(spec!, rig, 'demo', RIG_WORKER_HEALTHCHECK);
    expect(opts.HostConfig?.Mounts).toContainEqual({ Type: 'volume', Source: 'demo-rig-b-inference-secrets', Target: '/run/secrets/rx580-ops', ReadOnly: true });
    // Never the Docker socket.
    expect(JSON.stringify(opts)).not.toContain('docker.sock');
  });

  it('reads the models from the rig\'s copy of this machine\'s models directory, never from that directory\'s path on the rig', () => {
    const withModels = parseSettings({ ...settings, inference: { ...settings.inference, modelsDir: '/srv/models' } });
    const [spec] = rigWorkerSpecs(withModels, rig, [], 'img', [], 'demo-rig-b-models-0123456789ab');
    expect(spec!.env).toContain('RX580_OPS_INFERENCE_MODELS_DIR=/models');
    const mounts = rigWorkerCreateOptions(spec!, rig, 'demo', RIG_WORKER_HEALTHCHECK).HostConfig?.Mounts;
    expect(mounts?.filter((m) => m.Target === '/models')).toEqual([{ Type: 'volume', Source: 'demo-rig-b-models-0123456789ab', Target: '/models', ReadOnly: true }]);
    expect(JSON.stringify(mounts)).not.toContain('/srv/models');
    // Without a models directory, the image's own demo models: no models mount.
    expect(rigWorkerSpecs(settings, rig, [], 'img')[0]!.mounts.some((m) => m.Target === '/models')).toBe(false);
  });

  it('is scraped by a job of its own over HTTPS with the rig\'s key and the CA, as job rx580-api', () => {
    expect(rigScrapeJobs([rig], '/run/secrets/rx580-ops')).toEqual([
      {
        job_name: 'rx580-api@rig-b',
        scheme: 'https',
        authorization: { type: 'Bearer', credentials_file: '/run/secrets/rx580-ops/rig-rig-b.api-key' },
        tls_config: { ca_file: '/run/secrets/rx580-ops/rigs-ca.crt' },
        file_sd_configs: [{ files: ['targets/rig-rig-b.json'] }],
        relabel_configs: [{ target_label: 'job', replacement: 'rx580-api' }],
      },
    ]);
    const specs = rigWorkerSpecs(settings, rig, cards, 'img');
    expect(JSON.parse(rigTargets(rig, specs))).toEqual([
      { targets: ['10.0.0.12:18000'], labels: { service: 'inference', rig: 'rig-b', gpu: 'card0' } },
      { targets: ['10.0.0.12:18001'], labels: { service: 'inference', rig: 'rig-b', gpu: 'card1' } },
    ]);
  });
});
