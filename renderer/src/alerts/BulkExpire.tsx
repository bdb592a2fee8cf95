import { useState } from 'react';
import { useBulkExpire } from '../api/silence-queries';
import { ProgressBar } from '../components/ProgressBar';

const silences = (n: number) => `${n} silence${n === 1 ? '' : 's'}`;

/**
 * "Expire all shown": asks first (the alerts they hold back notify again at once), then expires
 * them in batches with a progress bar, and lists each one that could not be expired, and why.
 */
export function BulkExpire({ ids }: { ids: string[] }) {
  const bulk = useBulkExpire();
  // The ids when asked: the list refreshes every few seconds, and the answer was about these.
  const [asking, setAsking] = useState<string[] | null>(null);
  const state = bulk.state;
  if (ids.length === 0 && !asking && !state) return null;
  return (
    <div className="bulk-expire" data-testid="bulk-expire">
      {asking ? (
        <div className="confirm" role="group" aria-label="Confirm the expiry" onKeyDown={(e) => e.key === 'Escape' && setAsking(null)}>
          <span>Expire {silences(asking.length)}? Their alerts notify again at once.</span>
          <button
            type="button"
            className="primary"
            autoFocus
            data-testid="expire-confirm"
            onClick={() => {
              setAsking(null);
              void bulk.run(asking);
            }}
          >
            Expire {silences(asking.length)}
          </button>
          <button type="button" onClick={() => setAsking(null)}>
            Cancel
          </button>
        </div>
      ) : ids.length > 0 ? (
        <button
          type="button"
          disabled={!!state?.running}
          data-testid="expire-all-shown"
          onClick={() => {
            bulk.reset();
            setAsking(ids);
          }}
        >
          Expire all shown ({ids.length})
        </button>
      ) : null}
      {state && (
        <div className="bulk-progress" data-testid="expire-progress">
          <ProgressBar current={state.done} total={state.total} label="Expiring silences" />
          <p role="status" className="small">
            {state.running ? `Expiring… ${state.done} of ${state.total}` : `${state.total - state.failures.length} of ${silences(state.total)} expired.`}
          </p>
          {state.failures.length > 0 && (
            <ul className="error" data-testid="expire-failures">
              {state.failures.map((f) => (
                <li key={f.id}>
                  <span className="mono">{f.id}</span>: {f.error}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}
