import type { Server } from 'node:net';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { AUTH_FAILURE_REASONS, INFERENCE_METRICS, MODEL_LOAD_STATUS } from './metric-names';
import type { AmdGpuTelemetry, GpuReading } from './gpu-telemetry';

/**
 * The service's Prometheus metrics, in a registry of its own. Names and labels come from the
 * metric contract (metric-names.ts) that the alert rules and the dashboards query.
 */

const { requests, requestDuration, authFailures, rateLimited, inferenceDuration, batchSize, queueDuration, modelsLoaded, predictions, predictionFailures, activeConnections, processStart, memory, gpuMemory, gpuMemoryTotal, gpuBusy, gpuTemperature, gpuPower } =
  INFERENCE_METRICS;

const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Powers of two up to the largest max batch size (1024), so the 1 bucket counts runs that joined nothing. */
const BATCH_BUCKETS = Array.from({ length: 11 }, (_, i) => 2 ** i);
/** Queue waits are a few milliseconds by design: finer at the bottom than request latencies. */
const QUEUE_BUCKETS = [0.0001, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];

/** A metric of the contract: its name and label names. */
type ContractMetric<L extends string> = { name: string; labels: readonly L[] };

/** The `endpoint` label of requests that matched no route: one value, never the raw path. */
export const UNMATCHED_ENDPOINT = 'unmatched';

export class InferenceMetrics {
  readonly registry = new Registry();
  readonly apiRequests = this.counter(requests, 'HTTP requests answered, by route template, method and status code.');
  readonly apiDuration = this.histogram(requestDuration, 'Time to answer an HTTP request, by route template and method.', LATENCY_BUCKETS);
  readonly inferenceDuration = this.histogram(inferenceDuration, 'Time onnxruntime took to run a model (preprocessing excluded).', LATENCY_BUCKETS);
  readonly batchSize = this.histogram(batchSize, 'Rows (dim 0) per run of a model served with batching; above 1, concurrent requests were joined.', BATCH_BUCKETS);
  readonly queueDuration = this.histogram(queueDuration, 'Time a request to a model served with batching waited for its run to start.', QUEUE_BUCKETS);
  readonly authFailures = this.counter(authFailures, 'Requests refused 401, by reason (missing, malformed or invalid API key).');
  readonly rateLimited = this.counter(rateLimited, 'Requests refused 429 by the per-key rate limit.');
  readonly modelsLoaded = this.counter(modelsLoaded, 'Model load attempts, by outcome.');
  readonly predictions = this.counter(predictions, 'Successful predictions, by model.');
  readonly predictionFailures = this.counter(predictionFailures, 'Runs of a model that failed inside onnxruntime, by model.');
  readonly activeConnections = new Gauge({
    name: activeConnections.name,
    help: 'Open TCP connections to the service.',
    registers: [this.registry],
  });

  constructor(gpu: AmdGpuTelemetry) {
    // Both outcomes exported from the start, so rate() and increase() see the first failure.
    for (const status of MODEL_LOAD_STATUS) this.modelsLoaded.inc({ status }, 0);
    for (const reason of AUTH_FAILURE_REASONS) this.authFailures.inc({ reason }, 0);
    new Gauge({
      name: processStart.name,
      help: 'Start time of the inference service process since the Unix epoch, in seconds.',
      registers: [this.registry],
    }).set((Date.now() - process.uptime() * 1000) / 1000);
    new Gauge({
      name: memory.name,
      help: 'Resident memory of the inference service process.',
      registers: [this.registry],
      collect() {
        this.set(process.memoryUsage.rss());
      },
    });
    // One sysfs read per scrape feeds all five GPU gauges. They carry a `card` label so an
    // absent card means no sample at all (an unlabelled gauge would always show 0).
    let pending: Promise<GpuReading[]> | null = null;
    const readings = () => (pending ??= gpu.read().finally(() => setImmediate(() => (pending = null))));
    const gpuGauge = (metric: { name: string; labels: readonly 'card'[] }, help: string, pick: (r: GpuReading) => number | undefined) =>
      new Gauge({
        name: metric.name,
        help,
        labelNames: metric.labels,
        registers: [this.registry],
        async collect() {
          const all = await readings();
          this.reset();
          for (const r of all) {
            const value = pick(r);
            if (value !== undefined) this.set({ card: r.card }, value);
          }
        },
      });
    gpuGauge(gpuMemory, 'VRAM in use on the AMD GPU (amdgpu mem_info_vram_used).', (r) => r.vramUsedBytes);
    gpuGauge(gpuMemoryTotal, 'VRAM size of the AMD GPU (amdgpu mem_info_vram_total).', (r) => r.vramTotalBytes);
    gpuGauge(gpuBusy, 'AMD GPU busy percent (amdgpu gpu_busy_percent).', (r) => r.busyPercent);
    gpuGauge(gpuTemperature, 'AMD GPU edge temperature (hwmon temp1_input).', (r) => r.temperatureCelsius);
    gpuGauge(gpuPower, 'AMD GPU average power draw (hwmon power1_average).', (r) => r.powerWatts);
  }

  private counter<L extends string>(metric: ContractMetric<L>, help: string): Counter<L> {
    return new Counter({ name: metric.name, help, labelNames: metric.labels, registers: [this.registry] });
  }

  private histogram<L extends string>(metric: ContractMetric<L>, help: string, buckets: number[]): Histogram<L> {
    return new Histogram({ name: metric.name, help, labelNames: metric.labels, buckets, registers: [this.registry] });
  }

  /** Counts a server's open TCP connections in `active_connections`. */
  watchConnections(server: Server): void {
    server.on('connection', (socket) => {
      this.activeConnections.inc();
      socket.once('close', () => this.activeConnections.dec());
    });
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }
}
