import { ConsoleError } from '../console-error';

/** Errors the user can act on; `message` is written for them, never a stack trace. */
export type StackErrorCode =
  | 'ENGINE_UNREACHABLE'
  | 'ENGINE_PERMISSION_DENIED'
  | 'IMAGE_MISSING'
  | 'PORT_IN_USE'
  | 'SERVICE_NOT_READY'
  | 'SERVICE_CRASHING'
  | 'SERVICE_MISSING'
  | 'BUSY';

const STATUS: Record<StackErrorCode, number> = {
  ENGINE_UNREACHABLE: 503,
  ENGINE_PERMISSION_DENIED: 503,
  IMAGE_MISSING: 424,
  PORT_IN_USE: 409,
  SERVICE_NOT_READY: 504,
  SERVICE_CRASHING: 502,
  SERVICE_MISSING: 404,
  BUSY: 409,
};

export class StackError extends ConsoleError {
  override name = 'StackError';
  declare readonly code: StackErrorCode;
  constructor(code: StackErrorCode, message: string) {
    super(code, message, STATUS[code]);
  }
}
