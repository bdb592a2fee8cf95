import type { z } from 'zod';
import { appEvents, appMethods } from './app-contract';
import { desktopEvents, desktopMethods } from './desktop-contract';
import { notificationsMethods } from './notifications-contract';
import { inferenceEvents, inferenceMethods } from './inference-contract';
import { settingsEvents, settingsMethods } from './settings-contract';
import { loadtestEvents, loadtestMethods } from './loadtest-contract';
import { logsEvents, logsMethods } from './logs-contract';
import { monitoringEvents, monitoringMethods } from './monitoring-contract';
import { stackEvents, stackMethods } from './stack-contract';
import { rigsEvents, rigsMethods } from './rigs-contract';

/**
 * The one API contract between the renderer and the main process. Both transports (Electron
 * IPC and the web mode's HTTP bridge) serve exactly these methods and events; arguments are
 * validated against these schemas at the boundary, and every type below is derived from them.
 * Each domain defines its methods and events in its own `*-contract.ts`; this file joins them.
 */

export interface MethodSpec {
  args: z.ZodTuple;
  result: z.ZodType;
}

export const apiMethods = {
  ...appMethods,
  ...stackMethods,
  ...notificationsMethods,
  ...settingsMethods,
  ...desktopMethods,
  ...inferenceMethods,
  ...monitoringMethods,
  ...logsMethods,
  ...loadtestMethods,
  ...rigsMethods,
} as const satisfies Record<string, MethodSpec>;

export const apiEvents = {
  ...appEvents,
  ...stackEvents,
  ...settingsEvents,
  ...desktopEvents,
  ...inferenceEvents,
  ...monitoringEvents,
  ...logsEvents,
  ...loadtestEvents,
  ...rigsEvents,
} as const satisfies Record<string, z.ZodType>;

export type ApiMethod = keyof typeof apiMethods;
export type ApiEvent = keyof typeof apiEvents;
/** What a caller passes (defaults may be left out). */
export type ApiArgs<M extends ApiMethod> = z.input<(typeof apiMethods)[M]['args']>;
/** What a handler receives once the boundary has validated and defaulted the arguments. */
export type ApiParsedArgs<M extends ApiMethod> = z.output<(typeof apiMethods)[M]['args']>;
export type ApiResult<M extends ApiMethod> = z.output<(typeof apiMethods)[M]['result']>;
export type ApiEventPayload<E extends ApiEvent> = z.output<(typeof apiEvents)[E]>;

/** Handlers for one domain's methods: each domain builds its own, ConsoleCore joins them. */
export type HandlersFor<T extends Record<string, MethodSpec>> = {
  [M in keyof T]: (...args: z.output<T[M]['args']>) => Promise<z.output<T[M]['result']>>;
};
export type ApiHandlers = HandlersFor<typeof apiMethods>;

export interface ApiErrorBody {
  code: string;
  message: string;
  /** Field-level problems for a bad argument: where, and what is wrong. */
  issues?: { path: string; message: string }[];
}

/** The envelope both transports carry, so errors arrive intact over IPC as over HTTP. */
export type ApiResponse<T = unknown> = { ok: true; result: T } | { ok: false; error: ApiErrorBody };

export type ApiEventListener = <E extends ApiEvent>(event: E, payload: ApiEventPayload<E>) => void;

export interface ApiEventSource {
  subscribe(listener: ApiEventListener): () => void;
}

export function isApiMethod(name: string): name is ApiMethod {
  return Object.hasOwn(apiMethods, name);
}
