import { SERVICE_TITLES, type MonitoringService } from '../electron/api/schemas/stack-status';

/**
 * An error the user can act on: `message` is written for them (never a stack trace), `code` is
 * stable for programs, and `status` is the HTTP status both transports report it with. Every
 * module that raises user-facing errors extends this, so the API boundary maps them all alike.
 */
export class ConsoleError extends Error {
  override name = 'ConsoleError';
  constructor(
    readonly code: string,
    message: string,
    readonly status: number = 400,
    /** Field-level problems (a settings form's fields, say): where, and what is wrong. */
    readonly issues?: { path: string; message: string }[],
  ) {
    super(message);
  }
}

/** The error for a stack service that does not answer (most often the stack is stopped), given the cause. */
export function serviceUnreachable(service: MonitoringService, baseUrl: string): (cause: string) => ConsoleError {
  return (cause) =>
    new ConsoleError(
      `${service.toUpperCase()}_UNREACHABLE`,
      `${SERVICE_TITLES[service]} is not answering at ${baseUrl} (${cause}): start the stack, or wait until it is ready.`,
      503,
    );
}

/** A form or argument with field-level problems: each issue names its field (`receivers.slack.webhookUrl`). */
export class FieldErrors extends ConsoleError {
  override name = 'FieldErrors';
  declare readonly issues: { path: string; message: string }[];
  constructor(
    code: string,
    message: string,
    issues: { path: string; message: string }[],
  ) {
    super(code, message, 400, issues);
  }
}

/** An error as every entry point reports it: a sentence for the user, a stable code, an HTTP status. */
export interface UserError {
  code: string;
  message: string;
  status: number;
  issues?: { path: string; message: string }[];
}

/**
 * What an error means to the user, for every entry point (the CLI, the desktop dialog, the API
 * boundary): a ConsoleError says it itself; an engine or system error is named for what refused.
 * Null for anything else: a fault of the console's own, whose text belongs in its log.
 */
export function toUserError(err: unknown): UserError | null {
  if (err instanceof ConsoleError) return { code: err.code, message: err.message, status: err.status, ...(err.issues ? { issues: err.issues } : {}) };
  const e = err as (NodeJS.ErrnoException & { statusCode?: number; json?: { message?: string } }) | undefined;
  if (e?.statusCode) return { code: 'ENGINE_REFUSED', message: `The Docker engine refused the request (${e.statusCode}): ${e.json?.message ?? e.message}`, status: 502 };
  if (e?.code && e.syscall) return { code: 'SYSTEM_ERROR', message: `${e.syscall} failed with ${e.code}${e.path ? ` for ${e.path}` : ''}.`, status: 500 };
  return null;
}

/** The sentence a person is shown for an error; a fault of the console's is said so rather than disguised. */
export function userMessage(err: unknown): string {
  return toUserError(err)?.message ?? `Internal error in the console: ${(err as Error | undefined)?.message ?? String(err)}. Its log has the details.`;
}
