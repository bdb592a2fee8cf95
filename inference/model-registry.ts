import { readFile, stat } from 'node:fs/promises';
import type * as ort from 'onnxruntime-node';
import { ProviderSelector, type ProviderName, type ProviderRefusal } from './execution-providers';
import { cleanOrtMessage, InferenceError } from './inference-errors';
import { modelSidecarSchema, sidecarPathFor, type ModelSidecar } from './model-sidecar';
import { formatZodIssues } from './env-overrides';
import { modelNameOf, resolveModelFile } from './models-dir';
import { modelNameSchema } from './api-types';

export interface TensorInfo {
  name: string;
  type: string;
  shape: (number | string)[];
}

export interface LoadedModel {
  name: string;
  file: string;
  session: ort.InferenceSession;
  provider: ProviderName;
  refused: ProviderRefusal[];
  sidecar: ModelSidecar | null;
  inputs: TensorInfo[];
  outputs: TensorInfo[];
  sizeBytes: number;
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
}


function tensorInfo(meta: readonly ort.InferenceSession.ValueMetadata[]): TensorInfo[] {
  return meta.map((m) =>
    m.isTensor ? { name: m.name, type: m.type, shape: [...m.shape] } : { name: m.name, type: 'non-tensor', shape: [] },
  );
}

async function readSidecar(modelFile: string): Promise<ModelSidecar | null> {
  const file = sidecarPathFor(modelFile);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return null;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new InferenceError('INVALID_SIDECAR', `The model's sidecar ${file} is not valid JSON: ${(err as Error).message}`, 422);
  }
  const parsed = modelSidecarSchema.safeParse(json);
  if (!parsed.success) throw new InferenceError('INVALID_SIDECAR', `The model's sidecar ${file} is invalid: ${formatZodIssues(parsed.error)}`, 422);
  return parsed.data;
}

export interface ModelRegistryEvents {
  onLoaded?: (model: LoadedModel) => void;
  onLoadFailed?: () => void;
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

  constructor(
    readonly modelsDir: string,
    providerOrder: readonly ProviderName[],
    private readonly events: ModelRegistryEvents = {},
  ) {
    this.providers = new ProviderSelector(providerOrder);
  }

  list(): LoadedModel[] {
    return [...this.models.values()];
  }

  get(name: string): LoadedModel {
    const model = this.models.get(name);
    if (!model) throw new InferenceError('MODEL_NOT_FOUND', `No model named "${name}" is loaded.`, 404);
    return model;
  }

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
      this.events.onLoadFailed?.();
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
    let opened;
    try {
      opened = await this.providers.open(bytes, { graphOptimizationLevel: request.graphOptimizationLevel ?? 'all' }, request.providerOrder);
    } catch (err) {
      throw new InferenceError('INVALID_MODEL', `"${requested}" could not be loaded as an ONNX model: ${cleanOrtMessage(String((err as Error).message))}`, 422);
    }
    const inputs = tensorInfo(opened.session.inputMetadata);
    if (sidecar?.input && !inputs.some((i) => i.name === sidecar.input)) {
      await opened.session.release();
      throw new InferenceError('INVALID_SIDECAR', `The sidecar names input "${sidecar.input}", which the model does not have.`, 422);
    }
    return {
      name,
      file,
      session: opened.session,
      provider: opened.provider,
      refused: opened.refused,
      sidecar,
      inputs,
      outputs: tensorInfo(opened.session.outputMetadata),
      sizeBytes: (await stat(file)).size,
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
