import { basename } from 'node:path';
import type { z } from 'zod';
import type { modelInfoSchema } from './api-types';
import { fallbackNote } from './execution-providers';
import { tensorInfoJson } from './model-metadata';
import type { LoadedModel } from './model-registry';

/** A loaded model as `GET /models/{name}` and a load answer it: the seed's fields, and what this service adds. */
export function modelJson(m: LoadedModel): z.output<typeof modelInfoSchema> {
  const shapes = (infos: LoadedModel['inputs']) => Object.fromEntries(infos.map((i) => [i.name, i.shape]));
  return {
    name: m.name,
    framework: 'onnx',
    path: basename(m.file),
    memory_mb: Math.round((m.sizeBytes / 2 ** 20) * 1000) / 1000,
    device: m.provider,
    provider: m.provider,
    refused_providers: m.refused,
    note: fallbackNote(m.provider, m.refused),
    vram_used_mb: m.vramBytes === null ? null : Math.round((m.vramBytes / 2 ** 20) * 1000) / 1000,
    loaded_at: m.loadedAt.toISOString(),
    input_shapes: shapes(m.inputs),
    output_shapes: shapes(m.outputs),
    inputs: m.inputs.map(tensorInfoJson),
    outputs: m.outputs.map(tensorInfoJson),
    inference_count: m.inferenceCount,
    batching: {
      enabled: m.batching.maxBatchSize > 1,
      max_batch_size: m.batching.maxBatchSize,
      max_queue_delay_ms: m.batching.maxQueueDelayMs,
      max_concurrent_runs: m.batching.maxConcurrentRuns,
      ...(m.batching.note ? { note: m.batching.note } : {}),
    },
    ...(m.sidecar?.description ? { description: m.sidecar.description } : {}),
    ...(m.sidecar?.labels ? { labels: m.sidecar.labels } : {}),
    image: m.sidecar?.image ?? null,
  };
}
