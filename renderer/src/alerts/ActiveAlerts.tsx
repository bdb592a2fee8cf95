import { useState } from 'react';
import { useAlertmanagerAlerts, useExpireSilence } from '../api/silence-queries';
import { queryState } from '../components/QueryState';
import { Labels, Since } from './AlertLabels';
import { SilenceForm } from './SilenceForm';
import { silenceForAlert } from './silence-form';

/** Alertmanager's active alerts, silenced and inhibited ones marked; silence one, or expire its silence. */
export function ActiveAlerts() {
  const { ready, query: alerts } = useAlertmanagerAlerts();
  const expire = useExpireSilence();
  const [silencing, setSilencing] = useState<string | null>(null);
  return (
    <section className="card" aria-labelledby="am-title">
      <h2 id="am-title">Active alerts</h2>
      {queryState(ready, alerts, { stopped: 'The stack is stopped: Alertmanager shows active alerts once it runs.', asking: 'Asking Alertmanager…', testId: 'alerts' }) ??
        (alerts.data!.length === 0 ? (
          <p className="muted" data-testid="alerts-empty">No alert is active in Alertmanager.</p>
        ) : (
          <ul className="alert-list" data-testid="am-alerts">
            {alerts.data!.map((a) => {
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
                  {silencing === a.fingerprint && !silenced && (
                    <SilenceForm
                      label={`Silence ${name}`}
                      silences={(duration, comment) => [silenceForAlert(a.labels, duration, comment)]}
                      onCreated={() => setSilencing(null)}
                      onCancel={() => setSilencing(null)}
                    />
                  )}
                </li>
              );
            })}
          </ul>
        ))}
      {expire.error && <p className="error" role="alert">{expire.error.message}</p>}
    </section>
  );
}
