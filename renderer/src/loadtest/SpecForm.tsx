import { useEffect, useState, type FormEvent } from 'react';
import { MAX_CONCURRENCY, MAX_RATE, MAX_STEP_REQUESTS, MAX_STEP_SECONDS, MAX_STEPS, MAX_TOTAL_SECONDS, MAX_WARMUP_SECONDS, type LoadtestSpecInput, type LoadtestSummary } from '../../../electron/api/schemas/loadtest';
import { ApiCallError } from '../api/client';
import { Field } from './Field';
import { baselineCandidates, runLabel } from './figures';
import { checkForm, fieldMessages, initialForm, type FieldMessages, type FormField, type SpecForm as Form } from './spec-form';

/** Where the first message sends the keyboard on a refused start, in the form's order. */
const FIELD_ORDER: FormField[] = ['model', 'target', 'loads', 'amount', 'warmup', 'input', 'protocol', 'baseline'];

interface Props {
  models: string[];
  workers: string[];
  runs: LoadtestSummary[];
  /** A run is under way or starting: the form waits. */
  busy: boolean;
  /** Why the last start was refused: its field issues go beside their fields. */
  refused: Error | null;
  onStart: (spec: LoadtestSpecInput, baseline: string) => void;
}

/** The run spec: checked as typed once a start was tried, with the schema's own caps and messages. */
export function SpecForm({ models, workers, runs, busy, refused, onStart }: Props) {
  const [form, setForm] = useState<Form>(() => initialForm(models[0] ?? ''));
  const [attempted, setAttempted] = useState(false);
  const [apiMessages, setApiMessages] = useState<FieldMessages>({});

  useEffect(() => {
    if (!models.includes(form.model) && models[0]) setForm((f) => ({ ...f, model: models[0]! }));
  }, [models, form.model]);
  useEffect(() => setApiMessages(refused instanceof ApiCallError ? fieldMessages(refused.issues) : {}), [refused]);

  const candidates = baselineCandidates(runs, form);
  const baseline = candidates.some((r) => r.id === form.baseline) ? form.baseline : '';
  const checked = checkForm(form);
  const messages: FieldMessages = { ...apiMessages, ...(attempted ? checked.errors : {}) };
  const set = <K extends keyof Form>(key: K, value: Form[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
    setApiMessages({});
  };
  const closed = form.mode === 'closed';

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setAttempted(true);
    if (checked.errors) {
      // Keyboard users land on what to fix; its message is tied to it by aria-describedby.
      const first = FIELD_ORDER.find((f) => checked.errors[f]);
      if (first) e.currentTarget.querySelector<HTMLElement>(`[name="${first}"]`)?.focus();
      return;
    }
    onStart(checked.spec, baseline);
  };

  return (
    <form className="card spec-form" noValidate onSubmit={submit} data-testid="loadtest-form">
      <div className="field-grid">
        <Field name="model" label="Model" message={messages.model}>
          {(p) => (
            <select {...p} value={form.model} onChange={(e) => set('model', e.target.value)} data-testid="loadtest-model">
              {models.map((m) => (
                <option key={m}>{m}</option>
              ))}
            </select>
          )}
        </Field>
        <Field name="target" label="Target" message={messages.target}>
          {(p) => (
            <select {...p} value={form.target} onChange={(e) => set('target', e.target.value)} data-testid="loadtest-target">
              <option value="all">All running workers (round robin)</option>
              {workers.map((w) => (
                <option key={w}>{w}</option>
              ))}
            </select>
          )}
        </Field>
        <fieldset className="kind">
          <legend>Load model</legend>
          <label>
            <input type="radio" name="mode" checked={closed} onChange={() => set('mode', 'closed')} /> Closed: fixed concurrency
          </label>
          <label>
            <input type="radio" name="mode" checked={!closed} onChange={() => set('mode', 'open')} data-testid="mode-open" /> Open: fixed rate
          </label>
        </fieldset>
        <Field
          name="loads"
          label={closed ? 'Concurrencies, one step each' : 'Rates (req/s), one step each'}
          message={messages.loads}
          hint={`e.g. 1, 4, 16: up to ${MAX_STEPS} steps of 1 to ${closed ? MAX_CONCURRENCY : MAX_RATE}`}
        >
          {(p) => <input {...p} value={form.loads} onChange={(e) => set('loads', e.target.value)} spellCheck={false} data-testid="loadtest-loads" />}
        </Field>
        <fieldset className="kind">
          <legend>Each step runs for</legend>
          <label>
            <input type="radio" name="per" checked={form.per === 'duration'} onChange={() => set('per', 'duration')} /> a duration
          </label>
          <label>
            <input type="radio" name="per" checked={form.per === 'requests'} onChange={() => set('per', 'requests')} data-testid="per-requests" /> a request count
          </label>
        </fieldset>
        <Field
          name="amount"
          label={form.per === 'duration' ? 'Seconds per step' : 'Requests per step'}
          message={messages.amount}
          hint={form.per === 'duration' ? `1 to ${MAX_STEP_SECONDS}; ${MAX_TOTAL_SECONDS} s a run, warm-ups included` : `1 to ${MAX_STEP_REQUESTS.toLocaleString()}`}
        >
          {(p) => <input {...p} type="number" min={1} value={form.amount} onChange={(e) => set('amount', e.target.value)} data-testid="loadtest-amount" />}
        </Field>
        <Field name="warmup" label="Warm-up (s, not measured)" message={messages.warmup} hint={`0 to ${MAX_WARMUP_SECONDS}, before each step`}>
          {(p) => <input {...p} type="number" min={0} value={form.warmup} onChange={(e) => set('warmup', e.target.value)} data-testid="loadtest-warmup" />}
        </Field>
        <Field name="input" label="Each request sends" message={messages.input}>
          {(p) => (
            <div className="input-choice">
              <select {...p} value={form.input} onChange={(e) => set('input', e.target.value as Form['input'])}>
                <option value="sample">the model&apos;s sample</option>
                <option value="file">a file in the models folder</option>
              </select>
              {form.input === 'file' && (
                <input aria-label="File in the models folder" value={form.file} onChange={(e) => set('file', e.target.value)} placeholder="digit.png or inputs.json" spellCheck={false} />
              )}
            </div>
          )}
        </Field>
        <Field name="protocol" label="Protocol" message={messages.protocol}>
          {(p) => (
            <select {...p} value={form.protocol} onChange={(e) => set('protocol', e.target.value as Form['protocol'])}>
              <option value="json">JSON: POST /predict</option>
              <option value="v2">Open Inference Protocol v2, binary tensors</option>
            </select>
          )}
        </Field>
        <Field name="baseline" label="Compare with (baseline)" message={messages.baseline} hint={candidates.length === 0 ? 'no saved run of this model and load model yet' : undefined}>
          {(p) => (
            <select {...p} value={baseline} onChange={(e) => set('baseline', e.target.value)} data-testid="loadtest-baseline">
              <option value="">none</option>
              {candidates.map((r) => (
                <option key={r.id} value={r.id}>
                  {runLabel(r)}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      {messages.form && (
        <p className="field-error" role="alert">
          {messages.form}
        </p>
      )}
      <div className="actions run">
        <button type="submit" className="primary" disabled={busy || models.length === 0} data-testid="loadtest-start">
          Start load test
        </button>
      </div>
    </form>
  );
}
