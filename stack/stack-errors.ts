/** Errors the user can act on; `message` is written for them, never a stack trace. */
export type StackErrorCode =
  | 'ENGINE_UNREACHABLE'
  | 'ENGINE_PERMISSION_DENIED'
  | 'IMAGE_MISSING'
  | 'PORT_IN_USE'
  | 'SERVICE_NOT_READY'
  | 'SERVICE_MISSING'
  | 'BUSY';

export class StackError extends Error {
  override name = 'StackError';
  constructor(
    readonly code: StackErrorCode,
    message: string,
  ) {
    super(message);
  }
}
