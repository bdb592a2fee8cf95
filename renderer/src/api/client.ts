import type { ApiArgs, ApiErrorBody, ApiEvent, ApiEventPayload, ApiMethod, ApiResult } from '../../../electron/api/contract';
import type { ApiTransport } from './transport';

export class ApiCallError extends Error {
  override name = 'ApiCallError';
  readonly code: string;
  readonly issues: ApiErrorBody['issues'];
  constructor(error: ApiErrorBody) {
    super(error.message);
    this.code = error.code;
    this.issues = error.issues;
  }
}

/** The typed face of the contract for React code: method names, arguments and results checked by tsc. */
export interface ApiClient {
  transport: ApiTransport['kind'];
  call<M extends ApiMethod>(method: M, ...args: ApiArgs<M>): Promise<ApiResult<M>>;
  on<E extends ApiEvent>(event: E, listener: (payload: ApiEventPayload<E>) => void): () => void;
}

export function createApiClient(transport: ApiTransport): ApiClient {
  return {
    transport: transport.kind,
    async call(method, ...args) {
      const response = await transport.invoke(method, args);
      if (!response.ok) throw new ApiCallError(response.error);
      return response.result as never;
    },
    on(event, listener) {
      return transport.subscribe(event, listener as (payload: unknown) => void);
    },
  };
}
