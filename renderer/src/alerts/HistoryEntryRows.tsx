import { useState } from 'react';
import type { AlertHistoryEntry, FiringPeriod } from '../../../electron/api/schemas/alert-history';
import { formatDuration } from '../metrics/format';
import { routePreviewHref } from '../notifications/route-hash';
import { Labels } from './AlertLabels';
import { chartsHref } from './history-view';
import { SilenceForm } from './SilenceForm';
import { silenceForAlert } from './silence-form';

export const HISTORY_COLUMNS = ['Alert', 'Labels', 'Start', 'End', 'Duration', 'Times'] as const;
/** With the actions' column. */
const COLUMNS = HISTORY_COLUMNS.length + 1;

function At({ seconds }: { seconds: number }) {
  const d = new Date(seconds * 1000);
  return <time dateTime={d.toISOString()}>{d.toLocaleString()}</time>;
}

/** Start, end and duration of one period: the cells a row of the history shares with its expanded periods. */
function PeriodCells({ period }: { period: FiringPeriod }) {
  return (
    <>
      <td>
        {period.startedBeforeRange && <span className="muted">before </span>}
        <At seconds={period.start} />
      </td>
      <td>{period.end === null ? <span className="badge badge-bad">still firing</span> : <At seconds={period.end} />}</td>
      <td>
        {formatDuration(period.durationSeconds)}
        {(period.end === null || period.startedBeforeRange) && <span className="muted"> at least</span>}
      </td>
    </>
  );
}

/**
 * One alert series of the history: its latest period, how many times it fired, and what to do
 * about it (see it on the charts, silence it, see where it is routed); its earlier periods on
 * demand, each with its own link to the charts.
 */
export function HistoryEntryRows({ entry, nowSec }: { entry: AlertHistoryEntry; nowSec: number }) {
  const [expanded, setExpanded] = useState(false);
  const [silencing, setSilencing] = useState(false);
  const latest = entry.periods.at(-1)!;
  const name = entry.alertname || '(no alertname)';
  const tone = entry.severity === 'critical' ? 'bad' : 'busy';
  return (
    <>
      <tr data-testid="history-entry" data-alertname={entry.alertname} data-count={entry.count} data-start={latest.start} data-end={latest.end ?? ''}>
        <td>
          <strong>{name}</strong> {entry.severity && <span className={`badge badge-${tone}`}>{entry.severity}</span>}
        </td>
        <td>
          <Labels labels={entry.labels} skip={['alertname', 'severity']} />
        </td>
        <PeriodCells period={latest} />
        <td>
          {entry.count}
          {entry.count > 1 && (
            <button type="button" className="link-button" aria-expanded={expanded} onClick={() => setExpanded(!expanded)} data-testid="history-all-periods">
              {expanded ? 'Hide' : `All ${entry.count}`}
              <span className="visually-hidden"> periods of {name}</span>
            </button>
          )}
        </td>
        <td>
          <div className="history-actions">
            <a className="button" href={chartsHref(latest, nowSec)} data-testid="show-on-charts">
              Show on charts<span className="visually-hidden"> ({name}, latest period)</span>
            </a>
            <button type="button" aria-expanded={silencing} onClick={() => setSilencing(!silencing)} data-testid="silence-from-history">
              Silence…
            </button>
            <a className="button" href={routePreviewHref(entry.labels)} data-testid="route-from-history">
              Route…<span className="visually-hidden"> (where {name} is sent)</span>
            </a>
          </div>
        </td>
      </tr>
      {expanded &&
        entry.periods.map((p, i) => (
          <tr key={p.start} className="history-period" data-testid="history-period" data-start={p.start} data-end={p.end ?? ''}>
            <td colSpan={2} className="muted small">
              {name}: period {i + 1} of {entry.count}
            </td>
            <PeriodCells period={p} />
            <td />
            <td>
              <a className="button" href={chartsHref(p, nowSec)} data-testid="period-on-charts">
                Show on charts<span className="visually-hidden"> ({name} from {new Date(p.start * 1000).toLocaleString()})</span>
              </a>
            </td>
          </tr>
        ))}
      {silencing && (
        <tr>
          <td colSpan={COLUMNS}>
            <SilenceForm
              label={`Silence ${name}`}
              silences={(duration, comment) => [silenceForAlert(entry.labels, duration, comment)]}
              onCreated={() => setSilencing(false)}
              onCancel={() => setSilencing(false)}
              testId="history-silence-form"
            />
          </td>
        </tr>
      )}
    </>
  );
}
