import { readFile } from 'node:fs/promises';
import type * as ort from 'onnxruntime-node';
import { AdaptiveSession, SessionThreads, type ModelSession } from './run-threads/session-threads';
import { isGpuProvider, sessionOptions, ProviderSelector, ProvidersUnavailable, type ProviderName, type ProviderRefusal } from './execution-providers';
import { cleanOrtMessage, InferenceError, runtimeDetailOf } from './inference-errors';
import { tensorInfo, type TensorInfo } from './model-metadata';
import type { ModelSidecar } from './model-sidecar';
import { modelNameOf, resolveModelFile } from './models-dir';
import { modelNameSchema } from './api-types';
import { checkSidecarAgainstModel, readSidecar } from './sidecar-checks';
import { modelBatching, type ModelBatching } from './batching/batching-config';
import { RunSlots } from './batching/run-slots';
import { BATCHING_DEFAULTS, type BatchingSettings } from './service-settings';
import type { VramGuard } from './vram-guard';

export type { TensorInfo } from './model-metadata';

export interface LoadedModel {
  name: string;
  file: string;
  /** On cpu, moved to threads of its own once its runs are heavy (run-threads/); on a GPU, onnxruntime's session on the main thread. */
  session: ModelSession;
  provider: ProviderName;
  refused: ProviderRefusal[];
  sidecar: ModelSidecar | null;
  inputs: TensorInfo[];
  outputs: TensorInfo[];
  /** How concurrent requests are joined into one run (maxBatchSize 1: not at all), and how many run at once. */
  batching: ModelBatching;
  /** Its runs in progress, at most batching.maxConcurrentRuns; the rest wait their turn. */
  slots: RunSlots;
  sizeBytes: number;
  /** VRAM the load took (amdgpu's used VRAM after minus before); null on cpu or without readings. */
  vramBytes: number | null;
  loadedAt: Date;
  inferenceCount: number;
  inFlight: number;
  /** Resolves when the last in-flight run finishes (set while unloading). */
  drained: (() => void) | null;
}

export interface LoadRequest {
  path: string;
  modelName?: string;
  /** Providers to try for this model; the service's configured order when left out. */
  providerOrder?: readonly ProviderName[];
  graphOptimizationLevel?: ort.InferenceSession.SessionOptions['graphOptimizationLevel'];
  /** Load on a GPU provider even where the VRAM guard says the model will not fit. */
  force?: boolean;
}

export interface ModelRegistryEvents {
  onLoaded?: (model: LoadedModel) => void;
  onLoadFailed?: (request: LoadRequest, err: unknown) => void;
}

export interface ModelRegistryDeps {
  /** Chooses the execution provider (tests inject one that reports a GPU). */
  providers?: ProviderSelector;
  /** Checks and measures VRAM around loads on a GPU provider; none: no check. */
  vram?: VramGuard;
  /** The service's batching, for models whose sidecar sets none; the defaults for what is left out. */
  batching?: Partial<BatchingSettings>;
}

/** A session that could not be opened, as the load's answer. */
function openFailure(requested: string, err: unknown): InferenceError {
  if (err instanceof ProvidersUnavailable) {
    const providers = err.refused.map((r) => r.provider).join(' or ');
    const reasons = err.refused.length === 1 ? err.refused[0]!.reason : err.message;
    const detail = err.lastError ? runtimeDetailOf(err.lastError) : undefined;
    return new InferenceError(
      'PROVIDER_UNAVAILABLE',
      `"${requested}" cannot be loaded on ${providers} here: ${reasons}. Load it with "device": "auto" to run it on cpu.`,
      409,
      detail,
    );
  }
  return new InferenceError('INVALID_MODEL', `"${requested}" could not be loaded as an ONNX model: ${cleanOrtMessage(runtimeDetailOf(err))}`, 422, runtimeDetailOf(err));
}

/**
 * The models loaded in the service: loads them from the models directory only, on the first
 * execution provider that works, refuses a second load of the same name while one is under
 * way (409), and unloads without pulling a session out from under running predictions.
 */
export class ModelRegistry {
  private readonly models = new Map<string, LoadedModel>();
  private readonly loading = new Set<string>();
  readonly providers: ProviderSelector;
  private readonly vram: VramGuard | undefined;
  private readonly batching: BatchingSettings;

  constructor(
    readonly modelsDir: string,
    providerOrder: readonly ProviderName[],
    private readonly events: ModelRegistryEvents = {},
    deps: ModelRegistryDeps = {},
  ) {
    this.providers = deps.providers ?? new ProviderSelector(providerOrder);
    this.vram = deps.vram;
    this.batching = { ...BATCHING_DEFAULTS, ...deps.batching };
  }

  list(): LoadedModel[] {
    return [...this.models.values()];
  }

  get(name: string): LoadedModel {
    const model = this.models.get(name);
    if (!model) throw new InferenceError('MODEL_NOT_FOUND', `No model named "${name}" is loaded.`, 404);
    return model;
  }

  /**
   * Loads a model under a free name. A refused name is the caller's mistake, answered at once;
   * every load that is tried and fails, for whatever reason, goes to onLoadFailed (logged, counted).
   */
  async load(request: LoadRequest): Promise<LoadedModel> {
    const name = request.modelName ?? modelNameOf(request.path);
    if (!modelNameSchema.safeParse(name).success) {
      throw new InferenceError('INVALID_MODEL_NAME', `"${name}" is not a valid model name (letters, digits, dot, dash, underscore; 128 at most).`, 400);
    }
    if (this.models.has(name)) throw new InferenceError('MODEL_ALREADY_LOADED', `A model named "${name}" is already loaded; unload it first.`, 409);
    if (this.loading.has(name)) throw new InferenceError('MODEL_LOAD_IN_PROGRESS', `The model "${name}" is being loaded by another request.`, 409);
    this.loading.add(name);
    try {
      const model = await this.open(name, request);
      this.models.set(name, model);
      this.events.onLoaded?.(model);
      return model;
    } catch (err) {
      this.events.onLoadFailed?.(request, err);
      throw err;
    } finally {
      this.loading.delete(name);
    }
  }

  private async open(name: string, request: LoadRequest): Promise<LoadedModel> {
    const requested = request.path;
    const file = await resolveModelFile(this.modelsDir, requested);
    const sidecar = await readSidecar(file);
    const bytes = await readFile(file);
    const order = request.providerOrder ?? this.providers.order;
    const first = this.providers.candidates(order)[0];
    const vramBefore = this.vram && first && isGpuProvider(first) ? await this.vram.beforeLoad(requested, bytes.byteLength, request.force ?? false) : null;
    const options = { graphOptimizationLevel: request.graphOptimizationLevel ?? 'all' } as const;
    let opened;
    try {
      opened = await this.providers.open(bytes, options, order);
    } catch (err) {
      throw openFailure(requested, err);
    }
    const vramBytes = this.vram && isGpuProvider(opened.provider) ? await this.vram.takenSince(vramBefore) : null;
    const inputs = tensorInfo(opened.session.inputMetadata);
    const outputs = tensorInfo(opened.session.outputMetadata);
    let batching: ModelBatching;
    let session: ModelSession = opened.session;
    try {
      if (sidecar) checkSidecarAgainstModel(sidecar, inputs, outputs);
      batching = modelBatching(this.batching, sidecar, inputs, outputs);
      // A GPU's memory is not doubled: its runs stay on the main thread.
      if (!isGpuProvider(opened.provider)) {
        const [threadOptions, count] = [sessionOptions(opened.provider, options), batching.maxConcurrentRuns];
        session = new AdaptiveSession(opened.session, () => SessionThreads.open(bytes, threadOptions, count));
      }
    } catch (err) {
      await opened.session.release();
      throw err;
    }
    return {
      name,
      file,
      session,
      provider: opened.provider,
      refused: opened.refused,
      sidecar,
      inputs,
      outputs,
      batching,
      slots: new RunSlots(batching.maxConcurrentRuns),
      sizeBytes: bytes.byteLength,
      vramBytes,
      loadedAt: new Date(),
      inferenceCount: 0,
      inFlight: 0,
      drained: null,
    };
  }

  /** Runs `fn` with the model's session, keeping it alive until `fn` settles. */
  async use<T>(name: string, fn: (model: LoadedModel) => Promise<T>): Promise<T> {
    const model = this.get(name);
    model.inFlight++;
    try {
      return await fn(model);
    } finally {
      model.inFlight--;
      if (model.inFlight === 0) model.drained?.();
    }
  }

  /** Takes the model out at once (new requests get 404), releases it when in-flight runs end. */
  async unload(name: string): Promise<LoadedModel> {
    const model = this.get(name);
    this.models.delete(name);
    if (model.inFlight > 0) await new Promise<void>((resolve) => (model.drained = resolve));
    await model.session.release();
    return model;
  }

  async close(): Promise<void> {
    await Promise.all([...this.models.keys()].map((n) => this.unload(n)));
  }
}
