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

/** A stack service that does not answer: most often the stack is stopped. */
export function serviceUnreachable(service: string, baseUrl: string, err: unknown): ConsoleError {
  const cause = (err as { cause?: { code?: string } })?.cause?.code ?? (err as Error)?.name ?? 'no answer';
  return new ConsoleError(
    `${service.toUpperCase()}_UNREACHABLE`,
    `${service} is not answering at ${baseUrl} (${cause}): start the stack, or wait until it is ready.`,
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
