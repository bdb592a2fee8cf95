import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useState, type ChangeEvent, type ReactNode } from 'react';
import type { ApiResult } from '../../../electron/api/contract';
import type { NotificationForm, ReceiverKind, Severity } from '../../../stack/notifications/notification-settings';
import { useApi } from '../api/api-context';
import { ApiCallError } from '../api/client';
import { ROUTE_PREVIEW_KEY, RoutePreview } from '../notifications/RoutePreview';

const KEY = ['notifications'] as const;
const LABELS: Record<ReceiverKind, string> = { slack: 'Slack', discord: 'Discord', email: 'E-mail', webhook: 'Webhook' };
type Messages = Record<string, string>;
type TestResult = ApiResult<'notifications.test'>;

// Issues found at the API boundary are addressed by argument index (`0.receivers…`).
const byPath = (list: { path: string; message: string }[] | undefined): Messages =>
  Object.fromEntries((list ?? []).map((i) => [i.path.replace(/^0\./, ''), i.message]));

/** The notification receivers: edited here, validated and applied live by the main process. */
export function NotificationsPage() {
  const api = useApi();
  const queryClient = useQueryClient();
  const view = useQuery({ queryKey: KEY, queryFn: () => api.call('notifications.get') });
  const [form, setForm] = useState<NotificationForm | null>(null);
  const [errors, setErrors] = useState<Messages>({});
  const [warnings, setWarnings] = useState<Messages>({});
  const [banner, setBanner] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [notes, setNotes] = useState<string[]>([]);

  useEffect(() => {
    if (view.data && !form) {
      setForm(view.data.form);
      setWarnings(byPath(view.data.warnings));
    }
  }, [view.data, form]);

  const save = useMutation({
    mutationFn: (f: NotificationForm) => api.call('notifications.save', f),
    onMutate: () => setBanner(null),
    onSuccess: (result) => {
      setForm(result.form);
      setErrors({});
      setWarnings(byPath(result.warnings));
      setNotes([]);
      setBanner({ kind: 'ok', text: result.message });
      queryClient.setQueryData(KEY, result);
      void queryClient.invalidateQueries({ queryKey: ROUTE_PREVIEW_KEY });
    },
    onError: (err) => {
      setErrors(err instanceof ApiCallError ? byPath(err.issues) : {});
      setBanner({ kind: 'error', text: err.message });
    },
  });

  const importFile = useMutation({
    mutationFn: async (file: File) => api.call('notifications.import', await file.text()),
    onMutate: () => setBanner(null),
    onSuccess: (result) => {
      setForm(result.form);
      setErrors({});
      setWarnings(byPath(result.warnings));
      setNotes(result.notes);
      setBanner({ kind: 'ok', text: 'Imported into the form. Review it, then Save to apply it.' });
    },
    onError: (err) => setBanner({ kind: 'error', text: err.message }),
  });

  if (view.isPending) return <p className="muted">Loading notification settings…</p>;
  if (view.isError) return <p className="error" role="alert">{view.error.message}</p>;
  if (!form) return null;

  const set = <K extends ReceiverKind>(kind: K, patch: Partial<NotificationForm['receivers'][K]>) =>
    setForm({ ...form, receivers: { ...form.receivers, [kind]: { ...form.receivers[kind], ...patch } } });
  const field = (kind: ReceiverKind, name: string) => ({ error: errors[`receivers.${kind}.${name}`], warning: warnings[`receivers.${kind}.${name}`] });
  const r = form.receivers;
  const storage = view.data.secretStorage;
  const storageNote = (kind: ReceiverKind) =>
    storage[kind] === 'file'
      ? 'Stored encrypted; Alertmanager reads it from a file only its user can read.'
      : `Stored encrypted; this Alertmanager version needs it inline, in a config file closed to other users of this machine.`;

  return (
    <section aria-labelledby="notifications-title" className="notifications">
      <div className="toolbar">
        <h1 id="notifications-title">Notifications</h1>
        <div className="actions">
          <label className="button">
            Import alertmanager.yml
            <input
              type="file"
              accept=".yml,.yaml,text/yaml"
              className="visually-hidden"
              data-testid="notifications-import"
              onChange={(e: ChangeEvent<HTMLInputElement>) => {
                const file = e.target.files?.[0];
                if (file) importFile.mutate(file);
                e.target.value = '';
              }}
            />
          </label>
          <button type="button" className="primary" data-testid="notifications-save" disabled={save.isPending} onClick={() => save.mutate(form)}>
            {save.isPending ? 'Saving and applying…' : 'Save'}
          </button>
        </div>
      </div>
      <p className="muted">
        {view.data.alertmanagerVersion ? `Alertmanager ${view.data.alertmanagerVersion} is running: saving applies the change live.` : 'Alertmanager is not running: saving checks the configuration and it takes effect at the next start.'}
      </p>
      {save.isPending && <div className="progress" aria-label="Applying"><div className="progress-fill indeterminate" /></div>}
      {banner && (
        <p className={banner.kind === 'error' ? 'error' : 'notice'} role={banner.kind === 'error' ? 'alert' : 'status'} data-testid="notifications-banner">
          {banner.text}
        </p>
      )}
      {warnings[''] && (
        <p className="error" role="alert" data-testid="notifications-warning">
          {warnings['']}
        </p>
      )}
      {notes.length > 0 && (
        <div className="notice" data-testid="import-notes">
          <strong>From the imported file:</strong>
          <ul>{notes.map((n) => <li key={n}>{n}</li>)}</ul>
        </div>
      )}
      {view.data.kept.length > 0 && notes.length === 0 && (
        <details className="muted" data-testid="kept-parts">
          <summary>Kept from an imported file (not shown in this form)</summary>
          <ul>{view.data.kept.map((n) => <li key={n}>{n}</li>)}</ul>
        </details>
      )}

      <div className="receivers">
        <Receiver kind="slack" form={form} set={set} errors={errors}>
          <Field label="Slack webhook URL" {...field('slack', 'webhookUrl')} note={storageNote('slack')}>
            {(p) => <input {...p} value={r.slack.webhookUrl} autoComplete="off" spellCheck={false} onChange={(e) => set('slack', { webhookUrl: e.target.value })} />}
          </Field>
          <Field label="Slack channel" {...field('slack', 'channel')} note="Optional: the webhook's own channel when empty.">
            {(p) => <input {...p} value={r.slack.channel} placeholder="#alerts" onChange={(e) => set('slack', { channel: e.target.value })} />}
          </Field>
          <Field label="Slack title" {...field('slack', 'title')} note="Optional template; the default names the alert and its severity.">
            {(p) => <input {...p} value={r.slack.title} onChange={(e) => set('slack', { title: e.target.value })} />}
          </Field>
          <Field label="Slack text" {...field('slack', 'text')} note="Optional template; the default lists each alert with its summary.">
            {(p) => <textarea {...p} rows={2} value={r.slack.text} onChange={(e) => set('slack', { text: e.target.value })} />}
          </Field>
        </Receiver>

        <Receiver kind="discord" form={form} set={set} errors={errors}>
          <Field label="Discord webhook URL" {...field('discord', 'webhookUrl')} note={`${storageNote('discord')} Paste it as Discord gives it, without /slack.`}>
            {(p) => <input {...p} value={r.discord.webhookUrl} autoComplete="off" spellCheck={false} onChange={(e) => set('discord', { webhookUrl: e.target.value })} />}
          </Field>
        </Receiver>

        <Receiver kind="email" form={form} set={set} errors={errors}>
          <Field label="SMTP host" {...field('email', 'smtpHost')}>
            {(p) => <input {...p} value={r.email.smtpHost} placeholder="smtp.example.com" onChange={(e) => set('email', { smtpHost: e.target.value })} />}
          </Field>
          <Field label="SMTP port" {...field('email', 'smtpPort')}>
            {(p) => <input {...p} type="number" min={1} max={65535} value={r.email.smtpPort} onChange={(e) => set('email', { smtpPort: Number(e.target.value) || 0 })} />}
          </Field>
          <Field label="From" {...field('email', 'from')}>
            {(p) => <input {...p} type="text" value={r.email.from} placeholder="alertmanager@example.com" onChange={(e) => set('email', { from: e.target.value })} />}
          </Field>
          <Field label="To" {...field('email', 'to')} note="One or more addresses, separated by commas.">
            {(p) => <input {...p} type="text" value={r.email.to} onChange={(e) => set('email', { to: e.target.value })} />}
          </Field>
          <Field label="SMTP user name" {...field('email', 'username')}>
            {(p) => <input {...p} value={r.email.username} autoComplete="off" onChange={(e) => set('email', { username: e.target.value })} />}
          </Field>
          <Field label="SMTP password" {...field('email', 'password')} note={storageNote('email')}>
            {(p) => <input {...p} type="password" value={r.email.password} autoComplete="new-password" onChange={(e) => set('email', { password: e.target.value })} />}
          </Field>
          <Field label="Require TLS (STARTTLS)" {...field('email', 'requireTls')} inline>
            {(p) => <input {...p} type="checkbox" checked={r.email.requireTls} onChange={(e) => set('email', { requireTls: e.target.checked })} />}
          </Field>
        </Receiver>

        <Receiver kind="webhook" form={form} set={set} errors={errors}>
          <Field label="Webhook URL" {...field('webhook', 'url')} note={`${storageNote('webhook')} Receives Alertmanager's generic JSON; use the Slack or Discord receiver for those.`}>
            {(p) => <input {...p} value={r.webhook.url} autoComplete="off" spellCheck={false} onChange={(e) => set('webhook', { url: e.target.value })} />}
          </Field>
        </Receiver>
      </div>
      <RoutePreview />
    </section>
  );
}

type FieldProps = { id: string; 'aria-invalid': boolean; 'aria-describedby': string | undefined; 'data-testid': string };

function Field(props: { label: string; error?: string; warning?: string; note?: string; inline?: boolean; children: (p: FieldProps) => ReactNode }) {
  const id = useId();
  const described = [props.error && `${id}-e`, props.warning && `${id}-w`, props.note && `${id}-n`].filter(Boolean).join(' ') || undefined;
  const testId = `field-${props.label.toLowerCase().replace(/[^a-z]+/g, '-')}`;
  return (
    <div className={props.inline ? 'field field-inline' : 'field'}>
      <label htmlFor={id}>{props.label}</label>
      {props.children({ id, 'aria-invalid': !!props.error, 'aria-describedby': described, 'data-testid': testId })}
      {props.error && (
        <p id={`${id}-e`} className="field-error" data-testid={`${testId}-error`}>
          {props.error}
        </p>
      )}
      {props.warning && (
        <p id={`${id}-w`} className="field-warning" data-testid={`${testId}-warning`}>
          {props.warning}
        </p>
      )}
      {props.note && (
        <p id={`${id}-n`} className="field-note">
          {props.note}
        </p>
      )}
    </div>
  );
}

function Receiver<K extends ReceiverKind>(props: {
  kind: K;
  form: NotificationForm;
  set: (kind: K, patch: Partial<NotificationForm['receivers'][K]>) => void;
  errors: Messages;
  children: ReactNode;
}) {
  const { kind } = props;
  const rec = props.form.receivers[kind];
  const label = LABELS[kind];
  const severityError = props.errors[`receivers.${kind}.severities`];
  const toggle = (s: Severity, on: boolean) => props.set(kind, { severities: { ...rec.severities, [s]: on } } as Partial<NotificationForm['receivers'][K]>);
  return (
    <fieldset className="card receiver" data-testid={`receiver-${kind}`}>
      <legend>
        <label>
          <input type="checkbox" checked={rec.enabled} onChange={(e) => props.set(kind, { enabled: e.target.checked } as Partial<NotificationForm['receivers'][K]>)} /> {label}
        </label>
      </legend>
      <div className="severities" role="group" aria-label={`${label}: severities`}>
        {(['critical', 'warning'] as const).map((s) => (
          <label key={s}>
            <input type="checkbox" checked={rec.severities[s]} disabled={!rec.enabled} onChange={(e) => toggle(s, e.target.checked)} /> {s}
          </label>
        ))}
        {severityError && <p className="field-error">{severityError}</p>}
      </div>
      {rec.enabled ? props.children : <p className="muted">Off: no notifications go to {label}.</p>}
      <TestButton kind={kind} enabled={rec.enabled} />
    </fieldset>
  );
}

function TestButton({ kind, enabled }: { kind: ReceiverKind; enabled: boolean }) {
  const api = useApi();
  const [severity, setSeverity] = useState<Severity>('critical');
  const [result, setResult] = useState<TestResult | null>(null);
  const test = useMutation({
    mutationFn: () => api.call('notifications.test', kind, severity),
    onMutate: () => setResult(null),
    onSuccess: setResult,
  });
  const id = useId();
  return (
    <div className="test-row">
      <label htmlFor={id} className="visually-hidden">
        Severity of the {LABELS[kind]} test
      </label>
      <select id={id} value={severity} onChange={(e) => setSeverity(e.target.value as Severity)} disabled={!enabled}>
        <option value="critical">critical</option>
        <option value="warning">warning</option>
      </select>
      <button type="button" disabled={!enabled || test.isPending} onClick={() => test.mutate()} data-testid={`test-${kind}`}>
        {test.isPending ? 'Sending…' : `Send test to ${LABELS[kind]}`}
      </button>
      <span role="status" data-testid={`test-result-${kind}`} className={result ? (result.delivered ? 'ok' : 'bad') : test.isError ? 'bad' : 'muted'}>
        {result?.message ?? test.error?.message ?? (enabled ? 'Save first: the test uses the saved settings.' : '')}
      </span>
    </div>
  );
}
