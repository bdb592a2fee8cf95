import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * AMD GPU telemetry from the amdgpu driver's sysfs files. A card is a `/sys/class/drm/cardN`
 * whose PCI vendor is 0x1002 (AMD). Each reading is optional: a file the card or kernel does not
 * provide is left out, never reported as zero. The root is injectable so tests run against
 * fixture trees that mirror a real RX 580's files.
 */

export const AMD_PCI_VENDOR = '0x1002';

export interface GpuReading {
  card: string;
  vramUsedBytes?: number;
  vramTotalBytes?: number;
  busyPercent?: number;
  temperatureCelsius?: number;
  powerWatts?: number;
}

async function readNumber(file: string): Promise<number | undefined> {
  try {
    const n = Number((await readFile(file, 'utf8')).trim());
    return Number.isFinite(n) ? n : undefined;
  } catch {
    return undefined;
  }
}

async function firstNumber(files: string[]): Promise<number | undefined> {
  for (const f of files) {
    const n = await readNumber(f);
    if (n !== undefined) return n;
  }
  return undefined;
}

export class AmdGpuTelemetry {
  private cards: string[] | null = null;

  constructor(readonly sysRoot = '/sys') {}

  /** The AMD cards, found once: the cards in a machine do not change while it runs. */
  async findCards(): Promise<string[]> {
    if (this.cards) return this.cards;
    const drm = join(this.sysRoot, 'class', 'drm');
    const names = await readdir(drm).catch(() => [] as string[]);
    const cards: string[] = [];
    for (const name of names.filter((n) => /^card\d+$/.test(n)).sort()) {
      const vendor = await readFile(join(drm, name, 'device', 'vendor'), 'utf8').catch(() => '');
      if (vendor.trim().toLowerCase() === AMD_PCI_VENDOR) cards.push(name);
    }
    this.cards = cards;
    return cards;
  }

  async read(): Promise<GpuReading[]> {
    const cards = await this.findCards();
    return Promise.all(cards.map((card) => this.readCard(card)));
  }

  private async readCard(card: string): Promise<GpuReading> {
    const device = join(this.sysRoot, 'class', 'drm', card, 'device');
    const hwmons = (await readdir(join(device, 'hwmon')).catch(() => [] as string[])).filter((h) => /^hwmon\d+$/.test(h)).sort();
    const inHwmon = (file: string) => hwmons.map((h) => join(device, 'hwmon', h, file));
    const [vramUsedBytes, vramTotalBytes, busyPercent, milliCelsius, microWatts] = await Promise.all([
      readNumber(join(device, 'mem_info_vram_used')),
      readNumber(join(device, 'mem_info_vram_total')),
      readNumber(join(device, 'gpu_busy_percent')),
      firstNumber(inHwmon('temp1_input')),
      // Polaris reports power1_average; newer kernels and cards may only have power1_input.
      firstNumber([...inHwmon('power1_average'), ...inHwmon('power1_input')]),
    ]);
    const reading: GpuReading = { card };
    if (vramUsedBytes !== undefined) reading.vramUsedBytes = vramUsedBytes;
    if (vramTotalBytes !== undefined) reading.vramTotalBytes = vramTotalBytes;
    if (busyPercent !== undefined) reading.busyPercent = busyPercent;
    if (milliCelsius !== undefined) reading.temperatureCelsius = milliCelsius / 1000;
    if (microWatts !== undefined) reading.powerWatts = microWatts / 1e6;
    return reading;
  }
}
