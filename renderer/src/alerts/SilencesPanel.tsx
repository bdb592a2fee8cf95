import { useId, useState } from 'react';
import { useExpireSilence, useSilences } from '../api/silence-queries';
import { queryState } from '../components/QueryState';
import { TableHead } from '../components/TableHead';
import { BulkExpire } from './BulkExpire';
import { MaintenanceSilence } from './MaintenanceSilence';
import { describeMatchers } from './silence-form';
import { filterSilences, liveSilences } from './silence-list';

/** Alertmanager's silences in force or to come: filter them, expire one or all shown; and a maintenance silence. */
export function SilencesPanel() {
  const id = useId();
  const { ready, query } = useSilences();
  const expire = useExpireSilence();
  const [filter, setFilter] = useState('');
  const live = liveSilences(query.data ?? []);
  const shown = filterSilences(live, filter);
  return (
    <>
      <section className="card" aria-labelledby={`${id}-title`}>
        <header>
          <h2 id={`${id}-title`}>Silences</h2>
          {ready && (
            <span className="field-row">
              <label htmlFor={`${id}-filter`}>Filter</label>
              <input id={`${id}-filter`} type="search" value={filter} onChange={(e) => setFilter(e.target.value)} placeholder='e.g. gpu="card0"' data-testid="silences-filter" />
            </span>
          )}
        </header>
        {queryState(ready, query, { stopped: 'The stack is stopped: Alertmanager lists its silences once it runs.', asking: 'Asking Alertmanager…', testId: 'silences' }) ?? (
          <>
            {/* Mounted while the list empties: its progress and failures outlive the silences it expired. */}
            <BulkExpire ids={shown.map((s) => s.id)} />
            {live.length === 0 ? (
              <p className="muted" data-testid="silences-empty">No active or pending silence.</p>
            ) : shown.length === 0 ? (
              <p className="muted" data-testid="silences-none-shown">No silence matches “{filter.trim()}”.</p>
            ) : (
              <table className="table" data-testid="silences-table">
                <TableHead columns={['Matchers', 'State', 'Ends', 'Comment', <span className="visually-hidden">Actions</span>]} />
                <tbody>
                  {shown.map((s) => (
                    <tr key={s.id} data-testid="silence-row" data-silence-id={s.id}>
                      <td className="mono">{describeMatchers(s.matchers)}</td>
                      <td>{s.status.state}</td>
                      <td>{new Date(s.endsAt).toLocaleString()}</td>
                      <td>
                        {s.comment} <span className="muted small">({s.createdBy})</span>
                      </td>
                      <td>
                        <button type="button" onClick={() => expire.mutate(s.id)} disabled={expire.isPending}>
                          Expire
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </>
        )}
        {expire.error && <p className="error" role="alert">{expire.error.message}</p>}
      </section>
      <MaintenanceSilence />
    </>
  );
}
