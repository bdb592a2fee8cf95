import type { LoadtestSummary } from '../../../electron/api/schemas/loadtest';
import { TableHead } from '../components/TableHead';
import { formatRate } from './figures';

export const STATUS_BADGE: Record<LoadtestSummary['status'], string> = { running: 'badge-busy', completed: 'badge-ok', cancelled: 'badge-off', failed: 'badge-bad' };

/** Saved runs, newest first as the API lists them, each opened with one button. */
export function SavedRuns({ runs, openId, onOpen }: { runs: LoadtestSummary[]; openId: string | null; onOpen: (id: string) => void }) {
  if (runs.length === 0) return <p className="muted" data-testid="no-runs">No saved run yet: a run is saved when it ends, cancelled ones too.</p>;
  return (
    <table className="table" data-testid="saved-runs">
      <caption className="visually-hidden">Saved runs, newest first</caption>
      <TableHead columns={['Started', 'Model', 'Mode', 'Target', 'Steps', 'Peak req/s', 'Knee (step)', 'Status', '']} />
      <tbody>
        {runs.map((r) => (
          <tr key={r.id} data-testid={`run-${r.id}`} aria-current={r.id === openId ? 'true' : undefined}>
            <td>
              <span title={r.id}>{new Date(r.startedAt).toLocaleString()}</span>
            </td>
            <td>{r.model}</td>
            <td>{r.mode}</td>
            <td>{r.target}</td>
            <td>{r.steps}</td>
            <td>{formatRate(r.peakThroughput)}</td>
            <td>{r.knee === null ? 'none' : r.knee + 1}</td>
            <td>
              <span className={`badge ${STATUS_BADGE[r.status]}`}>{r.status}</span>
            </td>
            <td>
              <button type="button" onClick={() => onOpen(r.id)} disabled={r.status === 'running' || r.id === openId} aria-label={`Open the run of ${new Date(r.startedAt).toLocaleString()}`}>
                {r.id === openId ? 'Shown' : 'Open'}
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
