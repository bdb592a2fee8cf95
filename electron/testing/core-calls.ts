import type { ApiArgs, ApiMethod, ApiResult } from '../api/contract';
import type { ConsoleCore } from '../core/console-core';
import { dispatchApiCall } from '../core/dispatch';

export type CoreCall = <M extends ApiMethod>(method: M, ...args: ApiArgs<M>) => Promise<ApiResult<M>>;

/**
 * Calls the core's handlers as the bridge does, arguments checked by the contract; a refusal
 * throws with its status and message. `core` is read at each call: tests make it in beforeAll.
 */
export function coreCaller(core: () => ConsoleCore): CoreCall {
  return async (method, ...args) => {
    const { status, body } = await dispatchApiCall(core().handlers, method, args, () => {});
    if (!body.ok) throw new Error(`${method} answered ${status}: ${body.error.message}`);
    return body.result as ApiResult<typeof method>;
  };
}
