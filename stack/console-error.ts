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
  ) {
    super(message);
  }
}
