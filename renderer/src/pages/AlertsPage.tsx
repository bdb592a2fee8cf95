import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type { ApiResult } from '../../../electron/api/contract';
import { useApi } from '../api/api-context';
import { alertmanagerReady, usePrometheusRules } from '../api/monitoring-queries';
import { useStackStatus } from '../api/stack-queries';
import { describeMatchers, SILENCE_DURATIONS, silenceForAlert } from '../alerts/silence-form';
import { useNow } from '../components/use-now';
import { formatDuration } from '../metrics/format';
import { TableHead } from '../components/TableHead';
import { usePageActive } from '../shell/page-activity';

type AmAlert = ApiResult<'alertmanager.alerts'>[number];
type Rule = Extract<ApiResult<'prometheus.rules'>['groups'][number]['rules'][number], { type: 'alerting' }>;

const STATE_TONE = { inactive: 'off', pending: 'busy', firing: 'bad' } as const;

function Labels({ labels, skip = [] }: { labels: Record<string, string>; skip?: string[] }) {
  return (
    <span className="labels">
      {Object.entries(labels)
        .filter(([k]) => !skip.includes(k))
        .map(([k, v]) => (
          <span key={k} className="label mono">
            {k}={v}
          </span>
        ))}
    </span>
  );
}

function Since({ iso }: { iso: string | undefined }) {
  const now = useNow(10_000);
  if (!iso) return <span className="muted">–</span>;
  const t = Date.parse(iso);
  return <time dateTime={iso} title={new Date(t).toLocaleString()}>{formatDuration((now - t) / 1000)} ago</time>;
}

function RulesSection() {
  const { ready, query } = usePrometheusRules();
  const rules: (Rule & { group: string })[] =
    query.data?.groups.flatMap((g) => g.rules.filter((r): r is Rule => r.type === 'alerting').map((r) => ({ ...r, group: g.name }))) ?? [];
  return (
    <section className="card" aria-labelledby="rules-title">
      <h2 id="rules-title">Alert rules</h2>
      {!ready ? (
        <p className="muted">The stack is stopped: Prometheus evaluates the rules once it runs.</p>
      ) : query.isError ? (
        <p className="error" role="alert">{query.error.message}</p>
      ) : query.isPending ? (
        <p className="muted">Asking Prometheus…</p>
      ) : rules.length === 0 ? (
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
      )}
    </section>
  );
}

function SilenceForm({ alert, onDone }: { alert: AmAlert; onDone(): void }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const id = useId();
  const [duration, setDuration] = useState<number>(SILENCE_DURATIONS[1].seconds);
  const [comment, setComment] = useState('');
  const create = useMutation({
    mutationFn: () => api.call('alertmanager.createSilence', silenceForAlert(alert.labels, duration, comment)),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['alertmanager'] });
      onDone();
    },
  });
  return (
    <form
      className="silence-form"
      aria-label={`Silence ${alert.labels.alertname ?? 'alert'}`}
      onSubmit={(e) => {
        e.preventDefault();
        create.mutate();
      }}
    >
      <label htmlFor={`${id}-duration`}>For</label>
      <select id={`${id}-duration`} value={duration} onChange={(e) => setDuration(Number(e.target.value))}>
        {SILENCE_DURATIONS.map((d) => (
          <option key={d.seconds} value={d.seconds}>
            {d.label}
          </option>
        ))}
      </select>
      <label htmlFor={`${id}-comment`}>Why</label>
      <input id={`${id}-comment`} value={comment} onChange={(e) => setComment(e.target.value)} placeholder="e.g. planned maintenance" required maxLength={500} autoFocus />
      <button type="submit" className="primary" disabled={create.isPending || !comment.trim()}>
        Create silence
      </button>
      <button type="button" onClick={onDone}>
        Cancel
      </button>
      {create.error && (
        <p className="error field-error" role="alert">
          {create.error.message}
        </p>
      )}
    </form>
  );
}

function useExpireSilence() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.call('alertmanager.expireSilence', id),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['alertmanager'] }),
  });
}

function AlertmanagerSection() {
  const api = useApi();
  const active = usePageActive();
  const ready = alertmanagerReady(useStackStatus().data);
  const alerts = useQuery({ queryKey: ['alertmanager', 'alerts'], queryFn: () => api.call('alertmanager.alerts'), enabled: ready && active, refetchInterval: 5000 });
  const silences = useQuery({ queryKey: ['alertmanager', 'silences'], queryFn: () => api.call('alertmanager.silences'), enabled: ready && active, refetchInterval: 5000 });
  const expire = useExpireSilence();
  const [silencing, setSilencing] = useState<string | null>(null);
  const live = silences.data?.filter((s) => s.status.state !== 'expired') ?? [];

  if (!ready) {
    return (
      <section className="card" aria-labelledby="am-title">
        <h2 id="am-title">Active alerts</h2>
        <p className="muted">The stack is stopped: Alertmanager shows active alerts once it runs.</p>
      </section>
    );
  }
  return (
    <>
      <section className="card" aria-labelledby="am-title">
        <h2 id="am-title">Active alerts</h2>
        {alerts.isError ? (
          <p className="error" role="alert">{alerts.error.message}</p>
        ) : alerts.isPending ? (
          <p className="muted">Asking Alertmanager…</p>
        ) : alerts.data.length === 0 ? (
          <p className="muted" data-testid="alerts-empty">No alert is active in Alertmanager.</p>
        ) : (
          <ul className="alert-list" data-testid="am-alerts">
            {alerts.data.map((a) => {
              const name = a.labels.alertname ?? '(no alertname)';
              const silenced = a.status.silencedBy.length > 0;
              const inhibited = a.status.inhibitedBy.length > 0;
              return (
                <li key={a.fingerprint} data-testid={`am-alert-${name}`}>
                  <div className="alert-head">
                    <strong>{name}</strong>
                    {silenced && <span className="badge badge-off" data-testid="alert-silenced">silenced</span>}
                    {inhibited && <span className="badge badge-off" data-testid="alert-inhibited">inhibited</span>}
                    {!silenced && !inhibited && <span className="badge badge-bad">{a.status.state}</span>}
                    <span className="muted small">
                      started <Since iso={a.startsAt} />
                    </span>
                    <span className="spacer" />
                    {silenced ? (
                      a.status.silencedBy.map((id) => (
                        <button key={id} type="button" onClick={() => expire.mutate(id)} disabled={expire.isPending}>
                          Expire silence
                        </button>
                      ))
                    ) : (
                      <button type="button" onClick={() => setSilencing(silencing === a.fingerprint ? null : a.fingerprint)} aria-expanded={silencing === a.fingerprint}>
                        Silence…
                      </button>
                    )}
                  </div>
                  {a.annotations.summary && <div>{a.annotations.summary}</div>}
                  <Labels labels={a.labels} skip={['alertname']} />
                  {silencing === a.fingerprint && !silenced && <SilenceForm alert={a} onDone={() => setSilencing(null)} />}
                </li>
              );
            })}
          </ul>
        )}
        {expire.error && <p className="error" role="alert">{expire.error.message}</p>}
      </section>
      <section className="card" aria-labelledby="silences-title">
        <h2 id="silences-title">Silences</h2>
        {live.length === 0 ? (
          <p className="muted">No active or pending silence.</p>
        ) : (
          <table className="table" data-testid="silences-table">
            <TableHead columns={['Matchers', 'State', 'Ends', 'Comment', <span className="visually-hidden">Actions</span>]} />
            <tbody>
              {live.map((s) => (
                <tr key={s.id}>
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
      </section>
    </>
  );
}

export function AlertsPage() {
  return (
    <section aria-labelledby="alerts-title" className="stack-sections">
      <div className="toolbar">
        <h1 id="alerts-title">Alerts</h1>
      </div>
      <RulesSection />
      <AlertmanagerSection />
    </section>
  );
}
