import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { AmdCard } from './amd-cards';
import { CONTAINER_SYS_ROOT, planWorkerGpus, workerGpus, type WorkerGpu } from './worker-gpu';

// Fixture trees (fake hosts; no AMD GPU exists here): see fixtures/README.md.
const fixture = (name: string) => realpathSync(fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url)));
const roots = (name: string) => ({ sys: join(fixture(name), 'sys'), dev: join(fixture(name), 'dev'), etc: join(fixture(name), 'etc') });

const host = fixture('two-rx580');
const device = (node: string) => ({ PathOnHost: join(host, 'dev', node), PathInContainer: `/dev/${node}`, CgroupPermissions: 'rwm' });
const cpuWorker: WorkerGpu = { card: null, devices: [], groupAdd: [], mounts: [], sysRoot: null };

describe('one inference worker per AMD card', () => {
  it('gives each RX 580 of the two-card fixture its own worker with only its nodes, /dev/kfd, the GPU groups and its sysfs', async () => {
    const workers = await planWorkerGpus('all', roots('two-rx580'));
    expect(workers).toEqual([
      {
        card: 'card0',
        devices: [device('dri/card0'), device('dri/renderD128'), device('kfd')],
        groupAdd: ['44', '109'],
        mounts: [{ Type: 'bind', Source: join(host, 'sys/devices/pci0000_00/0000_00_01.0/0000_01_00.0'), Target: '/run/rx580-ops/sys/class/drm/card0/device', ReadOnly: true }],
        sysRoot: '/run/rx580-ops/sys',
      },
      {
        card: 'card1',
        devices: [device('dri/card1'), device('dri/renderD129'), device('kfd')],
        groupAdd: ['44', '109'],
        mounts: [{ Type: 'bind', Source: join(host, 'sys/devices/pci0000_00/0000_00_03.0/0000_03_00.0'), Target: '/run/rx580-ops/sys/class/drm/card1/device', ReadOnly: true }],
        sysRoot: '/run/rx580-ops/sys',
      },
    ]);
    const paths = (w: WorkerGpu | undefined) => JSON.stringify(w);
    for (const node of ['card1', 'renderD129', '0000_03_00.0']) expect(paths(workers[0])).not.toContain(node);
    for (const node of ['card0', 'renderD128', '0000_01_00.0']) expect(paths(workers[1])).not.toContain(node);
  });

  it('gives only card1 a worker when the selection lists card1', async () => {
    const workers = await planWorkerGpus(['card1'], roots('two-rx580'));
    expect(workers.map((w) => w.card)).toEqual(['card1']);
    expect(workers[0]?.devices.map((d) => d.PathInContainer)).toEqual(['/dev/dri/card1', '/dev/dri/renderD129', '/dev/kfd']);
  });

  it("runs one CPU worker for 'none', and on a machine without cards", async () => {
    expect(await planWorkerGpus('none', roots('two-rx580'))).toEqual([cpuWorker]);
    expect(await planWorkerGpus('all', { sys: '/nonexistent-sysfs', dev: '/nonexistent-dev', etc: '/nonexistent-etc' })).toEqual([cpuWorker]);
    expect(workerGpus([], { kfd: '/dev/kfd', groupIds: [44] })).toEqual([cpuWorker]);
  });

  it('skips the Intel card, and passes no /dev/kfd or groups where the host has none', async () => {
    const intel = fixture('intel-and-rx580');
    const workers = await planWorkerGpus('all', roots('intel-and-rx580'));
    expect(workers).toEqual([
      {
        card: 'card1',
        devices: ['card1', 'renderD129'].map((n) => ({ PathOnHost: join(intel, 'dev/dri', n), PathInContainer: `/dev/dri/${n}`, CgroupPermissions: 'rwm' })),
        groupAdd: [],
        mounts: [{ Type: 'bind', Source: join(intel, 'sys/devices/pci0000_00/0000_00_01.0/0000_01_00.0'), Target: `${CONTAINER_SYS_ROOT}/class/drm/card1/device`, ReadOnly: true }],
        sysRoot: CONTAINER_SYS_ROOT,
      },
    ]);
  });

  it('refuses a card the machine does not have', async () => {
    await expect(planWorkerGpus(['card0', 'card5'], roots('two-rx580'))).rejects.toMatchObject({
      code: 'GPU_NOT_FOUND',
      status: 400,
      message: expect.stringContaining('card5, which is not an AMD card on this machine (the AMD cards found are card0, card1)'),
    });
  });

  it('mounts a real, colon-named PCI dir (which Binds syntax could not carry) and maps host /dev to container /dev', () => {
    const card: AmdCard = { name: 'card0', pciSlot: '0000:01:00.0', deviceId: '0x67df', sysfsDevice: '/sys/devices/pci0000:00/0000:00:01.0/0000:01:00.0', nodes: ['/dev/dri/card0', '/dev/dri/renderD128'] };
    const [worker] = workerGpus([card], { kfd: null, groupIds: [109] });
    expect(worker?.mounts).toEqual([{ Type: 'bind', Source: '/sys/devices/pci0000:00/0000:00:01.0/0000:01:00.0', Target: '/run/rx580-ops/sys/class/drm/card0/device', ReadOnly: true }]);
    expect(worker?.devices.map((d) => [d.PathOnHost, d.PathInContainer])).toEqual([
      ['/dev/dri/card0', '/dev/dri/card0'],
      ['/dev/dri/renderD128', '/dev/dri/renderD128'],
    ]);
    expect(worker?.groupAdd).toEqual(['109']);
  });
});
