import type { ApiResult } from '../../../electron/api/contract';
import { usePrometheusRules } from '../api/monitoring-queries';
import { queryState } from '../components/QueryState';
import { TableHead } from '../components/TableHead';
import { Labels, Since } from './AlertLabels';

type Rule = Extract<ApiResult<'prometheus.rules'>['groups'][number]['rules'][number], { type: 'alerting' }>;

const STATE_TONE = { inactive: 'off', pending: 'busy', firing: 'bad' } as const;

/** Every alert rule Prometheus evaluates, with its state and since when. */
export function RulesSection() {
  const { ready, query } = usePrometheusRules();
  const rules: (Rule & { group: string })[] =
    query.data?.groups.flatMap((g) => g.rules.filter((r): r is Rule => r.type === 'alerting').map((r) => ({ ...r, group: g.name }))) ?? [];
  return (
    <section className="card" aria-labelledby="rules-title">
      <h2 id="rules-title">Alert rules</h2>
      {queryState(ready, query, { stopped: 'The stack is stopped: Prometheus evaluates the rules once it runs.', asking: 'Asking Prometheus…', testId: 'rules' }) ??
        (rules.length === 0 ? (
          <p className="muted" data-testid="rules-empty">Prometheus has no alert rules loaded.</p>
        ) : (
          <table className="table" data-testid="rules-table">
            <TableHead columns={['Rule', 'State', 'Since', 'Labels', 'Summary']} />
            <tbody>
              {rules.map((r) => {
                const since = r.alerts.map((a) => a.activeAt).filter(Boolean).sort()[0];
                return (
                  <tr key={`${r.group}/${r.name}`} data-testid={`rule-${r.name}`}>
                    <td>
                      <strong>{r.name}</strong>
                      <div className="muted small">{r.group}</div>
                      {r.lastError && <div className="error small">{r.lastError}</div>}
                    </td>
                    <td>
                      <span className={`badge badge-${STATE_TONE[r.state]}`}>{r.state}</span>
                    </td>
                    <td>{r.state === 'inactive' ? <span className="muted">–</span> : <Since iso={since} />}</td>
                    <td>
                      <Labels labels={r.labels} />
                    </td>
                    <td>{r.annotations.summary ?? <span className="muted">–</span>}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        ))}
    </section>
  );
}
