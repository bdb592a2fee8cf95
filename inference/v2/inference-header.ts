import { V2Error } from './v2-error';
import { inferenceRequestSchema, type InferenceRequest } from './v2-schemas';

/** Longer headers are not kept: those carry inline data, which differs from request to request. */
const CACHED_HEADER_MAX = 2048;
const CACHED_HEADERS = 128;

/** The inference header's JSON as a checked request; a 400 naming what is wrong. */
function parseRequest(json: string): InferenceRequest {
  let header: unknown;
  try {
    header = JSON.parse(json);
  } catch (err) {
    throw new V2Error(`The inference header is not valid JSON: ${(err as Error).message}.`);
  }
  const parsed = inferenceRequestSchema.safeParse(header);
  if (!parsed.success) {
    throw new V2Error(`The inference request is invalid: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}.`);
  }
  return parsed.data;
}

/**
 * Inference headers parsed and checked once per distinct text. A client streaming tensors to a
 * model sends the same header every time (same inputs, shapes and binary_data_size), and parsing
 * and checking it was most of what the binary path cost beyond the seed's raw-body /predict.
 * Only headers that pass are kept, the oldest dropped first. The requests handed out are shared
 * between requests: they are read, never written.
 */
export class InferenceHeaders {
  private readonly parsed = new Map<string, InferenceRequest>();

  parse(json: string): InferenceRequest {
    const known = this.parsed.get(json);
    if (known) return known;
    const request = parseRequest(json);
    if (json.length <= CACHED_HEADER_MAX) {
      if (this.parsed.size >= CACHED_HEADERS) this.parsed.delete(this.parsed.keys().next().value!);
      this.parsed.set(json, request);
    }
    return request;
  }
}
