import * as ort from 'onnxruntime-node';
import type { PROVIDER_NAMES } from './api-types';
import { cleanOrtMessage } from './inference-errors';

export type ProviderName = (typeof PROVIDER_NAMES)[number];

/**
 * onnxruntime's idle threads spin while they wait for work: on a rig that shares its cores with
 * Prometheus, other workers and Docker's port proxy that burns CPU between requests (measured:
 * 10.8 ms of CPU per latency-convnet request with spinning, 4.7 ms without).
 */
const NO_SPINNING: ort.InferenceSession.SessionOptions = { extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } } };

/**
 * onnxruntime's own logger writes a failed run's error to stderr in ANSI colours, beside the
 * service's log. Fatal only: the same errors come back from the calls, and the service answers
 * and logs them itself, uncoloured.
 */
const QUIET: ort.InferenceSession.SessionOptions = { logSeverityLevel: 4 };

/** The providers that hold a model in VRAM. */
/** What a session of the service is opened with on `provider`: the same on every thread. */
export function sessionOptions(provider: ProviderName, options: ort.InferenceSession.SessionOptions = {}): ort.InferenceSession.SessionOptions {
  return { ...NO_SPINNING, ...QUIET, ...options, executionProviders: [provider] };
}

export const isGpuProvider = (provider: ProviderName) => provider !== 'cpu';

export interface ProviderRefusal {
  provider: ProviderName;
  reason: string;
}

export interface OpenedSession {
  session: ort.InferenceSession;
  provider: ProviderName;
  /** GPU providers tried before the one that worked, and why each was refused. */
  refused: ProviderRefusal[];
}

/** Errors that mean the provider cannot work in this process at all (not this model's fault). */
const DEVICE_LEVEL = /adapter|backend not found|not bundled|couldn't load|no available backend/i;

/** Every provider asked for is unusable on this machine: not the model's fault, and no fallback was asked for. */
export class ProvidersUnavailable extends Error {
  constructor(
    readonly refused: ProviderRefusal[],
    readonly lastError: unknown,
  ) {
    super(refused.map((r) => `${r.provider}: ${r.reason}`).join('; '));
  }
}

/** What an answer says when a model runs on a later provider than the first tried. */
export function fallbackNote(provider: ProviderName, refused: readonly ProviderRefusal[]): string | undefined {
  if (refused.length === 0) return undefined;
  return `Running on ${provider}: ${refused.map((r) => `${r.provider} was refused (${r.reason})`).join('; ')}.`;
}

/**
 * Opens ONNX sessions on the first execution provider that works, in the configured order
 * (webgpu reaches an RX 580 through Vulkan or D3D12; dml where bundled; cpu always). A provider
 * that fails for device-level reasons is remembered, so later loads skip it without retrying
 * (and without the driver's noise on stderr every time).
 */
export class ProviderSelector {
  private readonly deviceRefusals = new Map<ProviderName, string>();
  /** The configured order, and CPU last whatever it says: a model always loads if it can load at all. */
  readonly order: readonly ProviderName[];

  constructor(order: readonly ProviderName[]) {
    this.order = order.includes('cpu') ? order : [...order, 'cpu'];
  }

  /** Providers remembered as unusable on this machine, with the reason. */
  refusals(): ProviderRefusal[] {
    return [...this.deviceRefusals].map(([provider, reason]) => ({ provider, reason }));
  }

  /** The providers `open` would try, in order: those not remembered as unusable. */
  candidates(requested: readonly ProviderName[] = this.order): ProviderName[] {
    return requested.filter((p) => !this.deviceRefusals.has(p));
  }

  /**
   * A session on the first of `requested` that works. Throws ProvidersUnavailable when each one
   * is unusable on this machine, else the last provider's error (the model's fault).
   */
  async open(model: Uint8Array, options: ort.InferenceSession.SessionOptions = {}, requested: readonly ProviderName[] = this.order): Promise<OpenedSession> {
    const refused: ProviderRefusal[] = [];
    let lastError: unknown = null;
    let modelFault = false;
    for (const provider of requested) {
      const known = this.deviceRefusals.get(provider);
      if (known) {
        refused.push({ provider, reason: known });
        continue;
      }
      try {
        const session = await ort.InferenceSession.create(model, sessionOptions(provider, options));
        return { session, provider, refused };
      } catch (err) {
        lastError = err;
        const reason = refusalReason(provider, err);
        modelFault = provider === 'cpu' || !DEVICE_LEVEL.test(String((err as Error).message));
        if (provider === 'cpu') break;
        if (!modelFault) this.deviceRefusals.set(provider, reason);
        refused.push({ provider, reason });
      }
    }
    if (modelFault) throw lastError;
    throw new ProvidersUnavailable(refused, lastError);
  }
}

function refusalReason(provider: ProviderName, err: unknown): string {
  const message = cleanOrtMessage(String((err as Error)?.message ?? err));
  if (provider === 'dml' && /backend not found/i.test(message)) return `DirectML is not bundled with onnxruntime-node on ${process.platform}`;
  if (provider === 'webgpu' && /adapter/i.test(message)) return `WebGPU found no GPU adapter (${message.replace(/^Failed to get a WebGPU adapter:\s*/i, '')})`;
  return message;
}
