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
