import { ApiCallError } from '../api/client';

/** Headlines for the errors the user can act on; the message itself says what to do. */
const HEADLINES: Record<string, string> = {
  ENGINE_UNREACHABLE: 'Docker engine unreachable',
  ENGINE_PERMISSION_DENIED: 'No permission to use the Docker engine',
  PORT_IN_USE: 'A port is already in use',
  IMAGE_MISSING: 'An image is missing',
  SERVICE_NOT_READY: 'A service did not become ready',
  BUSY: 'The stack is busy',
};

export function ActionableError({ error, onRetry, testId }: { error: Error | string; onRetry?: () => void; testId: string }) {
  const code = error instanceof ApiCallError ? error.code : undefined;
  const message = typeof error === 'string' ? error : error.message;
  return (
    <div className="error actionable" role="alert" data-testid={testId}>
      <strong>{(code && HEADLINES[code]) ?? 'Something went wrong'}</strong>
      <p>{message}</p>
      {onRetry && (
        <button type="button" onClick={onRetry}>
          Check again
        </button>
      )}
    </div>
  );
}
