import { toUserError } from '../../stack/console-error';
import { apiMethods, isApiMethod, type ApiErrorBody, type ApiHandlers, type ApiResponse } from '../api/contract';

export interface DispatchResult {
  status: number;
  body: ApiResponse;
}

const fail = (status: number, error: ApiErrorBody): DispatchResult => ({ status, body: { ok: false, error } });

/**
 * Validates a call against the contract and runs its handler. Shared by the IPC and HTTP
 * transports so both answer identically; never throws, and never passes a stack trace on.
 */
export async function dispatchApiCall(
  handlers: ApiHandlers,
  method: string,
  rawArgs: unknown,
  onInternalError: (err: unknown) => void = (err) => console.error('rx580-ops: internal error', err),
): Promise<DispatchResult> {
  if (!isApiMethod(method)) return fail(404, { code: 'UNKNOWN_METHOD', message: `There is no API method named "${method}".` });
  const parsed = apiMethods[method].args.safeParse(rawArgs ?? []);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    const detail = issues.map((i) => (i.path ? `argument ${i.path}: ${i.message}` : i.message)).join('; ');
    return fail(400, { code: 'BAD_ARGUMENT', message: `Invalid arguments for ${method}: ${detail}`, issues });
  }
  try {
    const handler = handlers[method] as (...args: unknown[]) => Promise<unknown>;
    const result = await handler(...(parsed.data as unknown[]));
    return { status: 200, body: { ok: true, result } };
  } catch (err) {
    const user = toUserError(err);
    if (user) return fail(user.status, { code: user.code, message: user.message, ...(user.issues ? { issues: user.issues } : {}) });
    onInternalError(err);
    // Not the user's to act on, and its text may hold anything: the log gets it, the page does not.
    return fail(500, { code: 'INTERNAL', message: `${method} failed unexpectedly; the console log has the details.` });
  }
}
