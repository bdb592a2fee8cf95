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
