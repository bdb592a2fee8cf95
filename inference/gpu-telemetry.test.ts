import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AmdGpuTelemetry } from './gpu-telemetry';
import { InferenceMetrics } from './metrics';
import { call, startTestService } from './testing/test-service';

// Fixture trees (fake sysfs; no AMD GPU exists here): see fixtures/README.md.
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

describe('AMD GPU telemetry from amdgpu sysfs', () => {
  it('reads VRAM, busy percent, temperature and power of an RX 580, ignoring connectors', async () => {
    const gpu = new AmdGpuTelemetry(fixture('sysfs-rx580'));
    expect(await gpu.findCards()).toEqual(['card0']);
    expect(await gpu.read()).toEqual([
      { card: 'card0', vramUsedBytes: 1321467904, vramTotalBytes: 8589934592, busyPercent: 37, temperatureCelsius: 54, powerWatts: 48.123 },
    ]);
  });

  it('finds the AMD card by PCI vendor next to an Intel one, and leaves out what the kernel lacks', async () => {
    const gpu = new AmdGpuTelemetry(fixture('sysfs-intel-and-rx580'));
    expect(await gpu.read()).toEqual([{ card: 'card1', vramUsedBytes: 268435456, vramTotalBytes: 8589934592, temperatureCelsius: 47.5, powerWatts: 61 }]);
  });

  it('finds nothing without an AMD card, or without sysfs at all', async () => {
    expect(await new AmdGpuTelemetry(fixture('sysfs-intel-only')).read()).toEqual([]);
    expect(await new AmdGpuTelemetry('/nonexistent-sysfs').read()).toEqual([]);
  });

  it('exports GPU gauges per card, and no GPU sample at all when no card is found', async () => {
    const withCard = await new InferenceMetrics(new AmdGpuTelemetry(fixture('sysfs-rx580'))).render();
    expect(withCard).toContain('gpu_memory_usage_bytes{card="card0"} 1321467904');
    expect(withCard).toContain('gpu_memory_total_bytes{card="card0"} 8589934592');
    expect(withCard).toContain('gpu_busy_percent{card="card0"} 37');
    expect(withCard).toContain('gpu_temperature_celsius{card="card0"} 54');
    expect(withCard).toContain('gpu_power_watts{card="card0"} 48.123');
    execFileSync('promtool', ['check', 'metrics'], { input: withCard });

    const partial = await new InferenceMetrics(new AmdGpuTelemetry(fixture('sysfs-intel-and-rx580'))).render();
    expect(partial).toContain('gpu_power_watts{card="card1"} 61');
    expect(partial).not.toMatch(/^gpu_busy_percent\{/m);

    const none = await new InferenceMetrics(new AmdGpuTelemetry(fixture('sysfs-intel-only'))).render();
    expect(none).not.toMatch(/^gpu_\w+\{/m);
    expect(none).toMatch(/^memory_usage_bytes \d+/m);
    execFileSync('promtool', ['check', 'metrics'], { input: none });
  });

  it('reports the card in /health and /metrics of the running service', async () => {
    const svc = await startTestService({ sysRoot: fixture('sysfs-rx580') });
    try {
      expect((await call(svc, 'GET', '/health')).json.gpu).toEqual([
        { card: 'card0', vram_used_bytes: 1321467904, vram_total_bytes: 8589934592, busy_percent: 37, temperature_celsius: 54, power_watts: 48.123 },
      ]);
      expect((await call(svc, 'GET', '/metrics')).text).toContain('gpu_memory_usage_bytes{card="card0"} 1321467904');
    } finally {
      await svc.stop();
    }
  });
});
