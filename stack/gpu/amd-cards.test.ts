import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { discoverAmdCards, gpuGroupIds, kfdNode } from './amd-cards';

// Fixture trees (fake hosts; no AMD GPU exists here): see fixtures/README.md.
const fixture = (name: string) => realpathSync(fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url)));
const roots = (name: string) => ({ sys: join(fixture(name), 'sys'), dev: join(fixture(name), 'dev') });

const tmpDirs: string[] = [];
afterAll(() => Promise.all(tmpDirs.map((d) => rm(d, { recursive: true, force: true }))));

/** A fake host in a temp dir, with the kernel's real colon-named PCI dirs, one RX 580 per entry. */
async function tmpHost(cards: { card: string; render: string; slot: string; devNodes: string[] }[]) {
  const root = realpathSync(await mkdtemp(join(tmpdir(), 'rx580-gpu-')));
  tmpDirs.push(root);
  await mkdir(join(root, 'sys/class/drm'), { recursive: true });
  await mkdir(join(root, 'dev/dri'), { recursive: true });
  for (const { card, render, slot, devNodes } of cards) {
    const pci = `pci0000:00/${slot}`;
    const dir = join(root, 'sys/devices', pci);
    await mkdir(join(dir, 'drm', card), { recursive: true });
    await mkdir(join(dir, 'drm', render), { recursive: true });
    await writeFile(join(dir, 'vendor'), '0x1002\n');
    await writeFile(join(dir, 'device'), '0x67DF\n');
    await writeFile(join(dir, 'uevent'), `DRIVER=amdgpu\nPCI_SLOT_NAME=${slot}\n`);
    await symlink(`../../../${slot}`, join(dir, 'drm', card, 'device'));
    await symlink(`../../devices/${pci}/drm/${card}`, join(root, 'sys/class/drm', card));
    for (const node of devNodes) await writeFile(join(root, 'dev/dri', node), '');
  }
  return { sys: join(root, 'sys'), dev: join(root, 'dev'), root };
}

describe('AMD card discovery', () => {
  it('finds both RX 580s of the two-card fixture with their PCI slot, device id, sysfs dir and nodes, ignoring connectors and render entries', async () => {
    const host = fixture('two-rx580');
    expect(await discoverAmdCards(roots('two-rx580'))).toEqual([
      {
        name: 'card0',
        pciSlot: '0000:01:00.0',
        deviceId: '0x67df',
        sysfsDevice: join(host, 'sys/devices/pci0000_00/0000_00_01.0/0000_01_00.0'),
        nodes: [join(host, 'dev/dri/card0'), join(host, 'dev/dri/renderD128')],
      },
      {
        name: 'card1',
        pciSlot: '0000:03:00.0',
        deviceId: '0x67df',
        sysfsDevice: join(host, 'sys/devices/pci0000_00/0000_00_03.0/0000_03_00.0'),
        nodes: [join(host, 'dev/dri/card1'), join(host, 'dev/dri/renderD129')],
      },
    ]);
  });

  it('skips the Intel card next to an RX 580', async () => {
    const host = fixture('intel-and-rx580');
    const cards = await discoverAmdCards(roots('intel-and-rx580'));
    expect(cards.map((c) => c.name)).toEqual(['card1']);
    expect(cards[0]?.nodes).toEqual([join(host, 'dev/dri/card1'), join(host, 'dev/dri/renderD129')]);
  });

  it('finds no card, without throwing, when /sys/class/drm is missing or empty', async () => {
    expect(await discoverAmdCards({ sys: '/nonexistent-sysfs', dev: '/nonexistent-dev' })).toEqual([]);
    const empty = await tmpHost([]);
    expect(await discoverAmdCards(empty)).toEqual([]);
  });

  it('sorts by card number (card2 before card10), keeps colon-named PCI dirs, and lists only nodes that exist', async () => {
    const host = await tmpHost([
      { card: 'card10', render: 'renderD138', slot: '0000:0a:00.0', devNodes: ['card10'] },
      { card: 'card2', render: 'renderD130', slot: '0000:02:00.0', devNodes: ['card2', 'renderD130'] },
    ]);
    const cards = await discoverAmdCards(host);
    expect(cards.map((c) => c.name)).toEqual(['card2', 'card10']);
    expect(cards[1]).toEqual({
      name: 'card10',
      pciSlot: '0000:0a:00.0',
      deviceId: '0x67df',
      sysfsDevice: join(host.root, 'sys/devices/pci0000:00/0000:0a:00.0'),
      nodes: [join(host.dev, 'dri/card10')],
    });
  });
});

describe('GPU groups and /dev/kfd', () => {
  it('reads the render and video gids from the fixture group file', async () => {
    expect(await gpuGroupIds(join(fixture('two-rx580'), 'etc/group'))).toEqual([44, 109]);
  });

  it('lists a gid shared by render and video once, and none without a group file', async () => {
    const host = await tmpHost([]);
    const groupFile = join(host.root, 'group');
    await writeFile(groupFile, 'root:x:0:\nvideo:x:39:\nrender:x:39:ops\n');
    expect(await gpuGroupIds(groupFile)).toEqual([39]);
    expect(await gpuGroupIds(join(host.root, 'no-such-group'))).toEqual([]);
  });

  it('finds /dev/kfd where ROCm provides it', async () => {
    expect(await kfdNode(roots('two-rx580').dev)).toBe(join(fixture('two-rx580'), 'dev/kfd'));
    expect(await kfdNode(roots('intel-and-rx580').dev)).toBeNull();
  });
});

describe('AMD card discovery on the real host', () => {
  it('returns an array without throwing (this machine has no AMD card)', async () => {
    expect(await discoverAmdCards()).toEqual([]);
  });
});
