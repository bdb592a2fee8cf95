import { copyFile, mkdir, mkdtemp, readdir, readFile, readlink, realpath, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TEST_TMP_ENV } from './test-tmp-setup';

/**
 * The fake sysfs of a host with two RX 580s that node_exporter tests mount as its /sys
 * (stack/test-images/fixtures/node-exporter-sys/README.md), and its files read as node_exporter's
 * drm and hwmon collectors read them, so a test computes what to expect from the files themselves.
 */

export const NODE_EXPORTER_FIXTURE = fileURLToPath(new URL('../test-images/fixtures/node-exporter-sys', import.meta.url));

/** The kernel's name of a fixture's PCI dir (`0000_01_00.0` is `0000:01:00.0`; see the fixture's README). */
export function kernelName(name: string): string {
  return name
    .replace(/^(pci[0-9a-f]{4})_([0-9a-f]{2})$/, '$1:$2')
    .replace(/^([0-9a-f]{4})_([0-9a-f]{2})_([0-9a-f]{2}\.[0-7])$/, '$1:$2:$3');
}

/** Copies a fixture tree with the kernel's colon-named PCI dirs, its symlinks pointing at the renamed dirs. */
export async function copyWithKernelNames(from: string, to: string): Promise<void> {
  await mkdir(to, { mode: 0o755 });
  for (const entry of await readdir(from, { withFileTypes: true })) {
    const source = join(from, entry.name);
    const target = join(to, kernelName(entry.name));
    if (entry.isSymbolicLink()) await symlink((await readlink(source)).split('/').map(kernelName).join('/'), target);
    else if (entry.isDirectory()) await copyWithKernelNames(source, target);
    else await copyFile(source, target);
  }
}

/**
 * A kernel-named copy of the fixture in a new folder of the run's temp folder (test-tmp-setup.ts):
 * `sys` is what to mount; `work`, its parent, what to remove.
 */
export async function mountableFixture(): Promise<{ work: string; sys: string }> {
  const work = await mkdtemp(join(process.env[TEST_TMP_ENV] ?? tmpdir(), 'rx580-node-exporter-'));
  const sys = join(work, 'sys');
  await copyWithKernelNames(NODE_EXPORTER_FIXTURE, sys);
  return { work, sys };
}

export async function readAttr(path: string): Promise<string | undefined> {
  return (await readFile(path, 'utf8').catch(() => undefined))?.trim();
}

export async function readNumber(path: string): Promise<number> {
  const text = await readAttr(path);
  if (text === undefined || !/^-?\d+$/.test(text)) throw new Error(`fixture file ${path} holds no integer`);
  return Number(text);
}

/** node_exporter's hwmon chip label: the `device` link's target as `<parent dir>_<dir>`, cleaned as a metric name. */
export function chipLabel(deviceDir: string): string {
  const clean = (s: string) => s.toLowerCase().replace(/[^a-z0-9:_]/g, '_').replace(/^_+|_+$/g, '');
  return `${clean(basename(dirname(deviceDir)))}_${clean(basename(deviceDir))}`;
}

export interface FixtureCard {
  card: string;
  driver: string | undefined;
  /** The PCI device dir `class/drm/<card>/device` leads to. */
  deviceDir: string;
  /** The hwmon dirs under that PCI device dir. */
  hwmonDirs: string[];
  /** Their hwmon chip labels, in the same order. */
  chips: string[];
}

/** The `class/drm/card[0-9]` entries of a sysfs tree (the drm collector's glob), with what a dashboard needs to join them to hwmon. */
export async function fixtureCards(sys: string): Promise<FixtureCard[]> {
  const names = (await readdir(join(sys, 'class/drm'))).filter((n) => /^card[0-9]$/.test(n)).sort();
  return Promise.all(
    names.map(async (card) => {
      const deviceDir = await realpath(join(sys, 'class/drm', card, 'device'));
      const uevent = (await readAttr(join(deviceDir, 'uevent'))) ?? '';
      const hwmonDirs = (await readdir(join(deviceDir, 'hwmon')).catch(() => [] as string[])).sort().map((h) => join(deviceDir, 'hwmon', h));
      const chips = await Promise.all(hwmonDirs.map(async (dir) => chipLabel(await realpath(join(dir, 'device')))));
      return { card, driver: /^DRIVER=(.*)$/m.exec(uevent)?.[1], deviceDir, hwmonDirs, chips };
    }),
  );
}

/** node_exporter's version as it reports it (`1.5.0`), compared by major and minor. */
export function versionAtLeast(version: string, major: number, minor: number): boolean {
  const [ma = 0, mi = 0] = version.split('.').map(Number);
  return ma > major || (ma === major && mi >= minor);
}
