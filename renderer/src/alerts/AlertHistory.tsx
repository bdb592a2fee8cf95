import { useAlertHistory } from '../api/alert-history-queries';
import { queryState } from '../components/QueryState';
import { RangePicker } from '../components/RangePicker';
import { TableHead } from '../components/TableHead';
import { useNow } from '../components/use-now';
import { HISTORY_COLUMNS, HistoryEntryRows } from './HistoryEntryRows';
import { HISTORY_RANGES, nothingFiredText, resolutionText } from './history-view';

/** What fired and resolved over the range picked, from Prometheus's own record of its alerts. */
export function AlertHistory({ rangeSeconds, onRange }: { rangeSeconds: number; onRange: (seconds: number) => void }) {
  const { ready, query } = useAlertHistory(rangeSeconds);
  const nowSec = useNow(30_000) / 1000;
  const entries = query.data?.entries ?? [];
  return (
    <section className="card" aria-labelledby="history-title" data-testid="alert-history">
      <header>
        <h2 id="history-title">What fired</h2>
        <RangePicker value={rangeSeconds} onChange={onRange} label="History range" ranges={HISTORY_RANGES} />
      </header>
      {queryState(ready, query, { stopped: 'The stack is stopped: the history comes from Prometheus, once it runs.', asking: 'Asking Prometheus…', testId: 'history' }) ??
        (entries.length === 0 ? (
          <p className="muted" data-testid="history-empty">
            {nothingFiredText(rangeSeconds)}
          </p>
        ) : (
          <table className="table" data-testid="history-table" aria-busy={query.isPlaceholderData}>
            <TableHead columns={[...HISTORY_COLUMNS, <span className="visually-hidden">Actions</span>]} />
            <tbody>
              {entries.map((e) => (
                <HistoryEntryRows key={JSON.stringify(e.labels)} entry={e} nowSec={nowSec} />
              ))}
            </tbody>
          </table>
        ))}
      {query.data && <p className="muted small" data-testid="history-step">{resolutionText(query.data.step, query.data.evaluationSeconds)}</p>}
    </section>
  );
}
