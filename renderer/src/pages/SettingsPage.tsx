import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { MONITORING_SERVICES, SERVICE_TITLES } from '../../../electron/api/schemas/stack-status';
import { REMOTE_WRITE_SECRET_ENV, REMOTE_WRITE_TARGETS, type Settings } from '../../../electron/api/schemas/settings';
import { useApi } from '../api/api-context';
import { useRigList } from '../rigs/rigs-queries';
import { LOCAL_RIG_NAME } from '../../../electron/api/schemas/rigs';
import { ApiCallError } from '../api/client';
import { ALL_PROVIDERS, fieldMessages, moveProvider, numberFrom, toggleProvider, valueAt, withValue } from './settings-form';
import './settings-page.css';

const settingsKey = ['settings'] as const;

const SERVICES = MONITORING_SERVICES.map((name) => [name, SERVICE_TITLES[name]] as const);

/** Every alert setting with its label: thresholds are numbers, `…For` and intervals are durations like 2m. */
const ALERT_FIELDS: Record<keyof Settings['alerts'], { label: string; kind: 'number' | 'duration' }> = {
  evaluationInterval: { label: 'Rule evaluation interval', kind: 'duration' },
  errorRateWarning: { label: 'Error rate, warning (fraction of requests)', kind: 'number' },
  errorRateWarningFor: { label: 'Error rate, warning: for', kind: 'duration' },
  errorRateCritical: { label: 'Error rate, critical (fraction of requests)', kind: 'number' },
  errorRateCriticalFor: { label: 'Error rate, critical: for', kind: 'duration' },
  latencyP95Seconds: { label: 'API latency P95 (seconds)', kind: 'number' },
  latencyFor: { label: 'API latency: for', kind: 'duration' },
  apiDownFor: { label: 'API down: for', kind: 'duration' },
  requestRatePerSecond: { label: 'Request rate (per second)', kind: 'number' },
  requestRateFor: { label: 'Request rate: for', kind: 'duration' },
  modelLoadFailures: { label: 'Model load failures (in 10 minutes)', kind: 'number' },
  modelLoadFailuresFor: { label: 'Model load failures: for', kind: 'duration' },
  inferenceP95Seconds: { label: 'Inference P95 (seconds)', kind: 'number' },
  inferenceFor: { label: 'Inference P95: for', kind: 'duration' },
  memoryBytes: { label: 'Memory (bytes)', kind: 'number' },
  memoryFor: { label: 'Memory: for', kind: 'duration' },
  containerRestarts: { label: 'Container restarts (in 10 minutes)', kind: 'number' },
  containerRestartingFor: { label: 'Container restarting: for', kind: 'duration' },
  containerDownFor: { label: 'Container down: for', kind: 'duration' },
  targetDownFor: { label: 'Scrape target down: for', kind: 'duration' },
  rigDownFor: { label: 'Rig down (every target of a rig): for', kind: 'duration' },
  workerDownFor: { label: 'Inference worker down: for', kind: 'duration' },
};

interface FieldProps {
  path: string;
  label: string;
  messages: Record<string, string>;
  overridden: { path: string; variable: string }[];
  children: (props: { id: string; 'aria-invalid': boolean; 'aria-describedby': string | undefined }) => ReactNode;
}

function Field({ path, label, messages, overridden, children }: FieldProps) {
  const id = useId();
  const message = messages[path];
  const variable = overridden.find((o) => o.path === path)?.variable;
  const note = variable ? `Overridden while the console runs by ${variable}.` : null;
  return (
    <div className="field" data-testid={`field-${path}`}>
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-invalid': !!message, 'aria-describedby': message || note ? `${id}-msg` : undefined })}
      {(message || note) && (
        <span id={`${id}-msg`} className={message ? 'field-error' : 'muted'} role={message ? 'alert' : undefined}>
          {message ?? note}
        </span>
      )}
    </div>
  );
}

export function SettingsPage() {
  const api = useApi();
  const queryClient = useQueryClient();
  const view = useQuery({ queryKey: settingsKey, queryFn: () => api.call('settings.get') });
  const rigList = useRigList();
  const [form, setForm] = useState<Settings | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (view.data && !form) setForm(view.data.settings);
  }, [view.data, form]);

  const onSaved = (result: Awaited<ReturnType<typeof api.call<'settings.get'>>>, what: string) => {
    queryClient.setQueryData(settingsKey, result);
    setForm(result.settings);
    setNotice(`${what}${result.restartNeeded ? ' Ports, images and the inference service settings apply when the console starts again.' : ''}`);
  };
  const save = useMutation({ mutationFn: (s: Settings) => api.call('settings.update', s), onSuccess: (r) => onSaved(r, 'Settings saved.') });
  const importFile = useMutation({ mutationFn: (text: string) => api.call('settings.import', text), onSuccess: (r) => onSaved(r, 'Settings imported and saved.') });
  const exportFile = useMutation({
    mutationFn: () => api.call('settings.export'),
    onSuccess: ({ fileName, content }) => {
      const url = URL.createObjectURL(new Blob([content], { type: 'application/json' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = fileName;
      a.click();
      URL.revokeObjectURL(url);
    },
  });

  if (view.isPending) return <p className="muted">Reading the settings…</p>;
  if (view.isError) return <p className="error" role="alert">{view.error.message}</p>;
  if (!form) return null;

  const failure = save.error ?? importFile.error ?? exportFile.error;
  const messages = failure instanceof ApiCallError ? fieldMessages(failure.issues) : {};
  const dirty = JSON.stringify(form) !== JSON.stringify(view.data.settings);
  const common = { messages, overridden: view.data.overridden };
  const set = (path: string, value: unknown) => {
    setNotice(null);
    setForm(withValue(form, path, value));
  };
  const text = (path: string) => ({ value: String(valueAt(form, path) ?? ''), onChange: (e: { target: { value: string } }) => set(path, e.target.value) });
  const num = (path: string) => ({ type: 'number', value: String(valueAt(form, path) ?? ''), onChange: (e: { target: { value: string } }) => set(path, numberFrom(e.target.value)) });
  const check = (path: string) => ({ type: 'checkbox', checked: valueAt(form, path) === true, onChange: (e: { target: { checked: boolean } }) => set(path, e.target.checked) });
  const providers = form.inference.providers;

  return (
    <section aria-labelledby="settings-title" className="settings-page">
      {/* The console's own validation speaks for every field, in one voice, beside the field. */}
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate(form);
        }}
      >
        <div className="toolbar">
          <h1 id="settings-title">Settings</h1>
          <div className="actions">
            <button type="button" onClick={() => exportFile.mutate()} data-testid="settings-export">
              Export…
            </button>
            <button type="button" onClick={() => fileInput.current?.click()} data-testid="settings-import">
              Import…
            </button>
            <input
              ref={fileInput}
              type="file"
              accept=".json,application/json"
              hidden
              data-testid="settings-import-file"
              onChange={async (e) => {
                const file = e.target.files?.[0];
                e.target.value = '';
                if (file) importFile.mutate(await file.text());
              }}
            />
            <button type="button" onClick={() => setForm(view.data.settings)} disabled={!dirty}>
              Undo changes
            </button>
            <button type="submit" className="primary" disabled={!dirty || save.isPending} data-testid="settings-save">
              {save.isPending ? 'Saving…' : 'Save'}
            </button>
          </div>
        </div>
        <p className="muted">
          Saved in <span className="mono">{view.data.file}</span>.
        </p>
        {failure && (
          <p className="error" role="alert" data-testid="settings-error">
            {failure.message}
          </p>
        )}
        {notice && !failure && (
          <p className="notice" role="status" data-testid="settings-notice">
            {notice}
          </p>
        )}

        <fieldset>
          <legend>Monitoring services</legend>
          {SERVICES.map(([key, title]) => (
            <div className="field-row" key={key}>
              <Field path={`${key}.enabled`} label={`Run ${title}`} {...common}>
                {(p) => <input {...p} {...check(`${key}.enabled`)} />}
              </Field>
              <Field path={`${key}.port`} label={`${title} port`} {...common}>
                {(p) => <input {...p} {...num(`${key}.port`)} min={1} max={65535} />}
              </Field>
              <Field path={`${key}.image`} label={`${title} image`} {...common}>
                {(p) => <input {...p} {...text(`${key}.image`)} className="wide" spellCheck={false} />}
              </Field>
            </div>
          ))}
        </fieldset>

        <fieldset>
          <legend>Where the stack runs</legend>
          <p className="muted small">
            Prometheus, Alertmanager, Grafana and node_exporter run on this machine or on one rig reached over SSH (add it on the Rigs page); the console then reaches them through that
            connection, and the inference workers run on every rig either way. Stop the stack before moving it: the move takes effect when the console starts again.
          </p>
          <Field path="rigs.monitoring" label="Monitoring stack runs on" {...common}>
            {(p) => (
              <select {...p} value={form.rigs.monitoring} onChange={(e) => set('rigs.monitoring', e.target.value)} data-testid="settings-stack-rig">
                {[...new Set([...(rigList.data?.rigs.map((r) => r.name) ?? [LOCAL_RIG_NAME]), form.rigs.monitoring])].map((name) => (
                  <option key={name} value={name}>
                    {name === LOCAL_RIG_NAME ? `This machine (${LOCAL_RIG_NAME})` : name}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </fieldset>

        <fieldset>
          <legend>Long-term storage (remote_write)</legend>
          <p className="muted small">
            Prometheus also sends every sample to VictoriaMetrics, Thanos Receive or Mimir. A password or token is never kept here: set <span className="mono">{REMOTE_WRITE_SECRET_ENV}</span>.
          </p>
          <div className="field-row">
            <Field path="prometheus.remoteWrite.enabled" label="Write to a long-term store" {...common}>
              {(p) => <input {...p} {...check('prometheus.remoteWrite.enabled')} />}
            </Field>
            <Field path="prometheus.remoteWrite.kind" label="Store" {...common}>
              {(p) => (
                <select {...p} value={form.prometheus.remoteWrite.kind} onChange={(e) => set('prometheus.remoteWrite.kind', e.target.value)}>
                  {Object.entries(REMOTE_WRITE_TARGETS).map(([kind, { title }]) => (
                    <option key={kind} value={kind}>
                      {title}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field path="prometheus.remoteWrite.url" label="Write URL, path included" {...common}>
              {(p) => <input {...p} {...text('prometheus.remoteWrite.url')} className="wide" spellCheck={false} placeholder="http://victoria-metrics:8428/api/v1/write" />}
            </Field>
          </div>
          <div className="field-row">
            <Field path="prometheus.remoteWrite.tenant" label="Tenant (Mimir, Thanos)" {...common}>
              {(p) => <input {...p} {...text('prometheus.remoteWrite.tenant')} spellCheck={false} />}
            </Field>
            <Field path="prometheus.remoteWrite.auth" label="Authentication" {...common}>
              {(p) => (
                <select {...p} value={form.prometheus.remoteWrite.auth} onChange={(e) => set('prometheus.remoteWrite.auth', e.target.value)}>
                  <option value="none">None</option>
                  <option value="basic">Basic (user name and password)</option>
                  <option value="bearer">Bearer token</option>
                </select>
              )}
            </Field>
            <Field path="prometheus.remoteWrite.username" label="User name (basic)" {...common}>
              {(p) => <input {...p} {...text('prometheus.remoteWrite.username')} spellCheck={false} />}
            </Field>
          </div>
        </fieldset>

        <fieldset>
          <legend>node_exporter (host and GPU resources)</legend>
          <p className="muted small">
            Off by default on Docker Desktop (macOS, Windows): a container there sees Docker&apos;s VM, not this computer. Prometheus scrapes it over the stack network; publish it only to read it
            from this computer.
          </p>
          <div className="field-row">
            <Field path="nodeExporter.enabled" label="Run node_exporter" {...common}>
              {(p) => <input {...p} {...check('nodeExporter.enabled')} />}
            </Field>
            <Field path="nodeExporter.publish" label="Publish on 127.0.0.1" {...common}>
              {(p) => <input {...p} {...check('nodeExporter.publish')} />}
            </Field>
            <Field path="nodeExporter.port" label="node_exporter port" {...common}>
              {(p) => <input {...p} {...num('nodeExporter.port')} min={1} max={65535} />}
            </Field>
            <Field path="nodeExporter.image" label="node_exporter image" {...common}>
              {(p) => <input {...p} {...text('nodeExporter.image')} className="wide" spellCheck={false} />}
            </Field>
          </div>
        </fieldset>

        <fieldset>
          <legend>Inference service</legend>
          <div className="field-row">
            <Field path="inference.enabled" label="Run the inference service with the stack" {...common}>
              {(p) => <input {...p} {...check('inference.enabled')} />}
            </Field>
            <Field path="inference.port" label="Port" {...common}>
              {(p) => <input {...p} {...num('inference.port')} min={1} max={65535} />}
            </Field>
          </div>
          <Field path="inference.modelsDir" label="Models folder (empty: the demo models)" {...common}>
            {(p) => <input {...p} {...text('inference.modelsDir')} className="wide" spellCheck={false} placeholder="demo models" />}
          </Field>
          <Field path="inference.providers" label="Execution providers, in the order they are tried" {...common}>
            {(p) => (
              <ol className="providers" id={p.id} aria-describedby={p['aria-describedby']}>
                {providers.map((name, i) => (
                  <li key={name}>
                    <span className="mono">{name}</span>
                    <button type="button" onClick={() => set('inference.providers', moveProvider(providers, i, -1))} disabled={i === 0} aria-label={`Try ${name} earlier`}>
                      ↑
                    </button>
                    <button type="button" onClick={() => set('inference.providers', moveProvider(providers, i, 1))} disabled={i === providers.length - 1} aria-label={`Try ${name} later`}>
                      ↓
                    </button>
                    <button type="button" onClick={() => set('inference.providers', toggleProvider(providers, name))} aria-label={`Do not use ${name}`}>
                      Remove
                    </button>
                  </li>
                ))}
                {ALL_PROVIDERS.filter((name) => !providers.includes(name)).map((name) => (
                  <li key={name} className="muted">
                    <span className="mono">{name}</span>
                    <button type="button" onClick={() => set('inference.providers', toggleProvider(providers, name))} aria-label={`Use ${name}`}>
                      Add
                    </button>
                  </li>
                ))}
              </ol>
            )}
          </Field>
        </fieldset>

        <fieldset>
          <legend>Alert thresholds</legend>
          <div className="field-grid">
            {Object.entries(ALERT_FIELDS).map(([key, { label, kind }]) => (
              <Field key={key} path={`alerts.${key}`} label={label} {...common}>
                {(p) => (kind === 'number' ? <input {...p} {...num(`alerts.${key}`)} step="any" /> : <input {...p} {...text(`alerts.${key}`)} />)}
              </Field>
            ))}
          </div>
        </fieldset>

        <fieldset>
          <legend>Desktop app</legend>
          <Field path="desktop.notifications" label="Desktop notifications when an alert fires or resolves" {...common}>
            {(p) => <input {...p} {...check('desktop.notifications')} data-testid="settings-notifications" />}
          </Field>
          <Field path="desktop.onQuit" label="When quitting with the stack running" {...common}>
            {(p) => (
              <select {...p} value={form.desktop.onQuit} onChange={(e) => set('desktop.onQuit', e.target.value)} data-testid="settings-on-quit">
                <option value="ask">Ask every time</option>
                <option value="stop">Stop the stack</option>
                <option value="keep">Keep the stack running</option>
              </select>
            )}
          </Field>
        </fieldset>
      </form>
    </section>
  );
}
