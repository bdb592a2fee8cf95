import { z } from 'zod';
import { serviceNameSchema, stackProgressSchema, stackStatusSchema } from '../../stack/stack-status';

/**
 * The one API contract between the renderer and the main process. Both transports (Electron
 * IPC and the web mode's HTTP bridge) serve exactly these methods and events; arguments are
 * validated against these schemas at the boundary, and every type below is derived from them.
 */

export const appInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  mode: z.enum(['desktop', 'web']),
  settingsFile: z.string(),
  project: z.string(),
});

export const logsRequestSchema = z
  .object({ tail: z.number().int().min(1).max(5000).default(200) })
  .strict()
  .prefault({});

export const apiMethods = {
  'app.info': { args: z.tuple([]), result: appInfoSchema },
  'stack.status': { args: z.tuple([]), result: stackStatusSchema },
  'stack.up': { args: z.tuple([]), result: stackStatusSchema },
  'stack.down': { args: z.tuple([]), result: stackStatusSchema },
  'stack.removeData': { args: z.tuple([]), result: stackStatusSchema },
  'stack.logs': { args: z.tuple([serviceNameSchema, logsRequestSchema]), result: z.object({ lines: z.array(z.string()) }) },
} as const;

export const apiEvents = {
  'stack.status': stackStatusSchema,
  'stack.progress': stackProgressSchema,
} as const;

export type ApiMethod = keyof typeof apiMethods;
export type ApiEvent = keyof typeof apiEvents;
/** What a caller passes (defaults may be left out). */
export type ApiArgs<M extends ApiMethod> = z.input<(typeof apiMethods)[M]['args']>;
/** What a handler receives once the boundary has validated and defaulted the arguments. */
export type ApiParsedArgs<M extends ApiMethod> = z.output<(typeof apiMethods)[M]['args']>;
export type ApiResult<M extends ApiMethod> = z.output<(typeof apiMethods)[M]['result']>;
export type ApiEventPayload<E extends ApiEvent> = z.output<(typeof apiEvents)[E]>;

export type ApiHandlers = { [M in ApiMethod]: (...args: ApiParsedArgs<M>) => Promise<ApiResult<M>> };

export interface ApiErrorBody {
  code: string;
  message: string;
  /** Field-level problems for a bad argument: where, and what is wrong. */
  issues?: { path: string; message: string }[];
}

/** The envelope both transports carry, so errors arrive intact over IPC as over HTTP. */
export type ApiResponse<T = unknown> = { ok: true; result: T } | { ok: false; error: ApiErrorBody };

export interface ApiEventSource {
  subscribe(listener: <E extends ApiEvent>(event: E, payload: ApiEventPayload<E>) => void): () => void;
}

export function isApiMethod(name: string): name is ApiMethod {
  return Object.hasOwn(apiMethods, name);
}
