import type { RigFleetStatus } from '../../../electron/api/schemas/rigs';
import { TableHead } from '../components/TableHead';
import { statusLine } from './rig-view';
import { WorkerRow } from './WorkerRow';

interface Props {
  status: RigFleetStatus | undefined;
  error: Error | null;
  /** A read is under way (the first, or a refresh). */
  fetching: boolean;
  updatedAt: number;
}

/**
 * Each rig's status as its engine reports it, read every few seconds: reachable with its workers,
 * or "unreachable" and why. Each rig is read on its own (the API answers for an unreachable rig
 * within its timeout), so one rig's card never waits for another's.
 */
export function FleetStatus({ status, error, fetching, updatedAt }: Props) {
  return (
    <section aria-labelledby="fleet-status-title" className="fleet-status" data-testid="fleet-status">
      <div className="toolbar">
        <h2 id="fleet-status-title">Status</h2>
        <span className="muted small" data-testid="fleet-status-updated">
          {updatedAt ? `read at ${new Date(updatedAt).toLocaleTimeString()}` : ''}
          {fetching ? ' · reading…' : ''}
        </span>
      </div>
      {error && (
        <p className="error" role="alert" data-testid="fleet-status-error">
          The rigs&apos; status could not be read: {error.message}
          {status ? ' (showing the last status read)' : ''}
        </p>
      )}
      {!status && !error && <p className="muted">Asking each rig for its workers…</p>}
      {status && status.rigs.length === 0 && <p className="muted">No rig to show: add one above.</p>}
      <div className="rig-status-list">
        {status?.rigs.map((rig) => {
          const line = statusLine(rig);
          return (
            <article key={rig.name} className="card rig-status" data-testid={`rig-status-${rig.name}`} aria-labelledby={`rig-status-${rig.name}-title`}>
              <header>
                <h3 id={`rig-status-${rig.name}-title`}>
                  {rig.name} <span className="muted mono">{rig.address}</span>
                </h3>
              </header>
              <p className={line.tone === 'bad' ? 'rig-unreachable' : 'rig-reachable'} data-testid="rig-reachability" role={line.tone === 'bad' ? 'alert' : undefined}>
                {line.text}
              </p>
              {rig.error && (
                <p className="error small" data-testid="rig-last-error">
                  Last start or stop failed: {rig.error}
                </p>
              )}
              {rig.workers.length > 0 && (
                <table className="table" data-testid="rig-workers">
                  <TableHead columns={['Worker', 'Card', 'State', 'URL', 'Actions']} />
                  <tbody>
                    {rig.workers.map((w) => (
                      <WorkerRow key={w.id} rig={rig.name} worker={w} />
                    ))}
                  </tbody>
                </table>
              )}
              {rig.reachable && rig.workers.length === 0 && <p className="muted small">No worker of this console runs there: Start workers in the table above.</p>}
            </article>
          );
        })}
      </div>
    </section>
  );
}
