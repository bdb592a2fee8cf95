import type { AmdGpuTelemetry, GpuReading } from './gpu-telemetry';
import { InferenceError } from './inference-errors';

/**
 * VRAM a model needs on a GPU provider, per byte of its file. The weights take about the file's
 * size (ONNX stores them unpacked); onnxruntime then holds as much again: weights staged twice
 * while the session initialises, its buffer cache, and a run's intermediate tensors. A rule of
 * thumb on the safe side, not a measurement: `force: true` loads past it, and the model's info
 * reports what the load really took.
 */
export const VRAM_BYTES_PER_MODEL_BYTE = 2;

const MIB = 2 ** 20;
const mib = (bytes: number) => `${(bytes / MIB).toFixed(1)} MiB`;

type VramReading = GpuReading & { vramUsedBytes: number; vramTotalBytes: number };
const hasVram = (r: GpuReading): r is VramReading => r.vramUsedBytes !== undefined && r.vramTotalBytes !== undefined;

/**
 * Free VRAM from amdgpu's sysfs (mem_info_vram_total - mem_info_vram_used) against what a model
 * will need, before a load on a GPU provider; and what the load took, after. Without amdgpu
 * readings (no AMD card, another driver) it cannot judge, and lets the load go ahead.
 */
export class VramGuard {
  constructor(private readonly gpu: AmdGpuTelemetry) {}

  private async readings(): Promise<VramReading[]> {
    return (await this.gpu.read()).filter(hasVram);
  }

  /**
   * Refuses (507) a model that fits on no AMD card, unless forced: which card the provider picks
   * is its own choice, so the roomiest one is the best case. Answers the VRAM used before the
   * load over all cards, or null without readings.
   */
  async beforeLoad(path: string, fileBytes: number, force: boolean): Promise<number | null> {
    const cards = await this.readings();
    if (cards.length === 0) return null;
    const needed = fileBytes * VRAM_BYTES_PER_MODEL_BYTE;
    const roomiest = cards.reduce((a, b) => (b.vramTotalBytes - b.vramUsedBytes > a.vramTotalBytes - a.vramUsedBytes ? b : a));
    const free = roomiest.vramTotalBytes - roomiest.vramUsedBytes;
    if (needed > free && !force) {
      throw new InferenceError(
        'INSUFFICIENT_VRAM',
        `"${path}" needs about ${mib(needed)} of VRAM (${VRAM_BYTES_PER_MODEL_BYTE} x its ${mib(fileBytes)} file), but ${roomiest.card} has ${mib(free)} free ` +
          `(${mib(roomiest.vramUsedBytes)} used of ${mib(roomiest.vramTotalBytes)}). Unload a model, load this one with "device": "cpu", or send "force": true to try anyway.`,
        507,
      );
    }
    return sumUsed(cards);
  }

  /** VRAM taken since `before` (beforeLoad's answer), over all cards; null without readings. */
  async takenSince(before: number | null): Promise<number | null> {
    const cards = await this.readings();
    if (before === null || cards.length === 0) return null;
    return Math.max(0, sumUsed(cards) - before);
  }
}

const sumUsed = (cards: VramReading[]) => cards.reduce((sum, c) => sum + c.vramUsedBytes, 0);
