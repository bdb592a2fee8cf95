import type { ReactNode } from 'react';

interface Texts {
  /** Why there is nothing while the stack is stopped. */
  stopped: string;
  /** While the first answer is awaited ("Asking Prometheus…"). */
  asking: string;
  /** Prefix of the test ids: `<prefix>-stopped`, `<prefix>-error`, `<prefix>-asking`. */
  testId: string;
}

/**
 * What a card shows instead of its data: the stack stopped, the service's error, or the first
 * answer awaited. Null once there is data, for the card to show it (or say it is empty).
 */
export function queryState(ready: boolean, query: { isError: boolean; error: Error | null; isPending: boolean }, texts: Texts): ReactNode | null {
  if (!ready)
    return (
      <p className="muted" data-testid={`${texts.testId}-stopped`}>
        {texts.stopped}
      </p>
    );
  if (query.isError)
    return (
      <p className="error" role="alert" data-testid={`${texts.testId}-error`}>
        {query.error?.message}
      </p>
    );
  if (query.isPending)
    return (
      <p className="muted" data-testid={`${texts.testId}-asking`}>
        {texts.asking}
      </p>
    );
  return null;
}
