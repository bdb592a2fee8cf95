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

/**
 * Opens ONNX sessions on the first execution provider that works, in the configured order
 * (webgpu reaches an RX 580 through Vulkan or D3D12; dml where bundled; cpu always). A provider
 * that fails for device-level reasons is remembered, so later loads skip it without retrying
 * (and without the driver's noise on stderr every time).
 */
export class ProviderSelector {
  private readonly deviceRefusals = new Map<ProviderName, string>();

  constructor(readonly order: readonly ProviderName[]) {}

  /** Providers remembered as unusable on this machine, with the reason. */
  refusals(): ProviderRefusal[] {
    return [...this.deviceRefusals].map(([provider, reason]) => ({ provider, reason }));
  }

  async open(model: Uint8Array, options: ort.InferenceSession.SessionOptions = {}, requested: readonly ProviderName[] = this.order): Promise<OpenedSession> {
    const refused: ProviderRefusal[] = [];
    let lastError: unknown = null;
    // CPU is the fallback whatever the order says: a model always loads if it can load at all.
    const order = requested.includes('cpu') ? requested : [...requested, 'cpu' as const];
    for (const provider of order) {
      const known = this.deviceRefusals.get(provider);
      if (known) {
        refused.push({ provider, reason: known });
        continue;
      }
      try {
        const session = await ort.InferenceSession.create(model, { ...NO_SPINNING, ...options, executionProviders: [provider] });
        return { session, provider, refused };
      } catch (err) {
        lastError = err;
        const reason = refusalReason(provider, err);
        if (provider === 'cpu') break;
        if (DEVICE_LEVEL.test(String((err as Error).message))) this.deviceRefusals.set(provider, reason);
        refused.push({ provider, reason });
      }
    }
    throw lastError ?? new Error('no execution provider could open the model');
  }
}

function refusalReason(provider: ProviderName, err: unknown): string {
  const message = cleanOrtMessage(String((err as Error)?.message ?? err));
  if (provider === 'dml' && /backend not found/i.test(message)) return `DirectML is not bundled with onnxruntime-node on ${process.platform}`;
  if (provider === 'webgpu' && /adapter/i.test(message)) return `WebGPU found no GPU adapter (${message.replace(/^Failed to get a WebGPU adapter:\s*/i, '')})`;
  return message;
}
