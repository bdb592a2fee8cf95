/**
 * An error the Open Inference Protocol routes answer with: the protocol's body is
 * `{"error": "<message>"}` with an HTTP error status (400 unless another fits better).
 */
export class V2Error extends Error {
  override name = 'V2Error';
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export interface V2ErrorBody {
  error: string;
}

/** Where the protocol's routes are mounted. */
export const V2_PREFIX = '/v2';

/**
 * Whether a request's URL is the protocol's, so that errors raised before routing (a malformed
 * percent-escape, a path parameter beyond the router's limit) answer with its body too.
 */
export const isV2Url = (url: string) => url === V2_PREFIX || url.startsWith(`${V2_PREFIX}/`) || url.startsWith(`${V2_PREFIX}?`);
