import { DYNAMIC_DIM } from '../api-types';
import { InferenceError } from '../inference-errors';
import { describeShape, type TensorInfo } from '../model-metadata';
import type { ModelSidecar } from '../model-sidecar';
import type { BatchingSettings } from '../service-settings';

/** The batching a model is served with (maxBatchSize 1: none); `note` says why the service's does not apply. */
export interface ModelBatching extends BatchingSettings {
  note: string | null;
}

const OFF = { maxBatchSize: 1, maxQueueDelayMs: 0, note: null };

/**
 * Why requests to a model cannot be joined along dim 0, or null where they can: every input and
 * every output must have a first dim the model leaves dynamic, which a batch's rows fill.
 */
export function batchingRefusal(inputs: readonly TensorInfo[], outputs: readonly TensorInfo[]): string | null {
  if (inputs.length === 0) return 'the model has no inputs';
  for (const [kind, tensors] of [['input', inputs], ['output', outputs]] as const) {
    const fixed = tensors.find((t) => t.shape[0] !== DYNAMIC_DIM);
    if (!fixed) continue;
    const first = fixed.shape.length === 0 ? 'no first dim' : `a fixed first dim of ${fixed.shape[0]}`;
    return `its ${kind} "${fixed.name}" ${describeShape(fixed)} has ${first}`;
  }
  return null;
}

/**
 * The service's batching with the sidecar's over it. A sidecar that asks for batching a model
 * cannot take is refused at load (422), as the sidecar's other mistakes are; the service's own
 * setting covers every model, so a model it cannot apply to is served unbatched, with a note.
 */
export function modelBatching(service: BatchingSettings, sidecar: ModelSidecar | null, inputs: readonly TensorInfo[], outputs: readonly TensorInfo[]): ModelBatching {
  const maxBatchSize = sidecar?.max_batch_size ?? service.maxBatchSize;
  const maxConcurrentRuns = sidecar?.max_concurrent_runs ?? service.maxConcurrentRuns;
  if (maxBatchSize <= 1) return { ...OFF, maxConcurrentRuns };
  const refusal = batchingRefusal(inputs, outputs);
  if (refusal === null) return { maxBatchSize, maxQueueDelayMs: sidecar?.max_queue_delay_ms ?? service.maxQueueDelayMs, maxConcurrentRuns, note: null };
  if (sidecar?.max_batch_size !== undefined) {
    throw new InferenceError(
      'INVALID_SIDECAR',
      `The sidecar asks for batching (max_batch_size ${maxBatchSize}), but ${refusal}: batching joins requests along a dynamic first dim. Remove max_batch_size, or set it to 1.`,
      422,
    );
  }
  return { ...OFF, maxConcurrentRuns, note: `Served without batching (the service's maxBatchSize is ${maxBatchSize}): ${refusal}.` };
}
