import { useId, useState } from 'react';
import { alertmanagerReady } from '../api/monitoring-queries';
import { useStackStatus } from '../api/stack-queries';
import { maintenanceSilences, maintenanceTargets, NOT_COVERED } from './maintenance';
import { SilenceForm } from './SilenceForm';
import { describeMatchers, equalityMatchers } from './silence-form';

/** Every alert of one inference worker (or GPU) silenced for a while: pick it, say for how long and why. */
export function MaintenanceSilence() {
  const id = useId();
  const stack = useStackStatus().data;
  const ready = alertmanagerReady(stack);
  const targets = maintenanceTargets(stack?.services ?? []);
  const [picked, setPicked] = useState<string | null>(null);
  const [created, setCreated] = useState<{ title: string; count: number } | null>(null);
  const target = targets.find((t) => t.id === picked) ?? targets[0];
  return (
    <section className="card" aria-labelledby={`${id}-title`} data-testid="maintenance">
      <h2 id={`${id}-title`}>Maintenance silence</h2>
      {!ready ? (
        <p className="muted">The stack is stopped: Alertmanager takes silences once it runs.</p>
      ) : !target ? (
        <p className="muted" data-testid="maintenance-none">
          No inference worker is configured: nothing to put in maintenance.
        </p>
      ) : (
        <>
          <div className="field-row">
            <label htmlFor={`${id}-target`}>Worker</label>
            <select id={`${id}-target`} value={target.id} onChange={(e) => setPicked(e.target.value)} data-testid="maintenance-target">
              {targets.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.title}
                </option>
              ))}
            </select>
          </div>
          <ul className="maintenance-scopes small" data-testid="maintenance-scopes">
            {target.scopes.map((s) => (
              <li key={JSON.stringify(s.labels)}>
                A silence on <code className="mono">{describeMatchers(equalityMatchers(s.labels))}</code>: {s.covers}.
              </li>
            ))}
          </ul>
          <p className="muted small">{NOT_COVERED}</p>
          <SilenceForm
            key={target.id}
            label={`Maintenance silence for ${target.title}`}
            silences={(duration, comment) => maintenanceSilences(target, duration, comment)}
            onCreated={(ids) => setCreated({ title: target.title, count: ids.length })}
            submitLabel="Create maintenance silence"
            autoFocus={false}
            testId="maintenance-form"
          />
          {created && (
            <p role="status" className="notice" data-testid="maintenance-created">
              {created.title} is in maintenance: {created.count === 1 ? 'one silence' : `${created.count} silences`} created, listed above.
            </p>
          )}
        </>
      )}
    </section>
  );
}
