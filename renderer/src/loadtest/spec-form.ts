import { loadtestSpecSchema, type LoadtestSpecInput } from '../../../electron/api/schemas/loadtest';

/** The run form as typed: text where the user types, so a bad value stays visible with its message. */
export interface SpecForm {
  model: string;
  target: string;
  mode: 'closed' | 'open';
  /** Concurrencies (closed) or rates (open), separated by commas or spaces. */
  loads: string;
  per: 'duration' | 'requests';
  /** Seconds or requests per step, as `per` says. */
  amount: string;
  warmup: string;
  input: 'sample' | 'file';
  file: string;
  protocol: 'json' | 'v2';
  /** A saved run's id, or '' for none. */
  baseline: string;
}

export type FormField = 'model' | 'target' | 'loads' | 'amount' | 'warmup' | 'input' | 'protocol' | 'baseline' | 'form';
export type FieldMessages = Partial<Record<FormField, string>>;

export function initialForm(model: string): SpecForm {
  return { model, target: 'all', mode: 'closed', loads: '1, 4, 16', per: 'duration', amount: '10', warmup: '2', input: 'sample', file: '', protocol: 'json', baseline: '' };
}

/** The form field a spec path belongs to: a list item to its list, `duration` and `requests` to the per-step amount. */
function fieldOf(path: string[]): FormField {
  const [head] = path;
  if (head === 'concurrency' || head === 'rate') return 'loads';
  if (head === 'duration' || head === 'requests') return 'amount';
  if (head === 'model' || head === 'target' || head === 'warmup' || head === 'input' || head === 'protocol' || head === 'baseline') return head;
  return 'form';
}

/**
 * Messages by form field from the schema's issues or the API's: `loadtest.start` checks its first
 * argument, so the contract's paths start with "0."; the engine's own name the spec's fields. A
 * list item's message says which step it is about.
 */
export function fieldMessages(issues: readonly { path: string; message: string }[] | undefined): FieldMessages {
  const out: FieldMessages = {};
  for (const { path, message } of issues ?? []) {
    const keys = path.replace(/^0\.?/, '').split('.').filter(Boolean);
    const item = keys.length === 2 && /^\d+$/.test(keys[1]!) ? `step ${Number(keys[1]) + 1}: ` : '';
    out[fieldOf(keys)] ??= `${item}${message}`;
  }
  return out;
}

/** Numbers from a comma or space separated list; the first entry that is none is named. */
export function parseLoads(text: string): number[] | string {
  const items = text.split(/[\s,]+/).filter(Boolean);
  const bad = items.find((t) => !Number.isFinite(Number(t)));
  return bad === undefined ? items.map(Number) : `"${bad}" is not a number`;
}

/** A number field's text: undefined when empty (the schema then says what is missing), else the number or a message. */
function numberOf(text: string): number | undefined | string {
  if (text.trim() === '') return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : `"${text.trim()}" is not a number`;
}

/** The spec the form describes, as `loadtest.start` takes it; numbers are kept as typed for the schema to judge. */
function specOf(form: SpecForm, loads: number[], amount: number | undefined, warmup: number | undefined): LoadtestSpecInput {
  const load = form.mode === 'closed' ? { mode: 'closed' as const, concurrency: loads } : { mode: 'open' as const, rate: loads };
  return {
    ...load,
    model: form.model,
    target: form.target,
    ...(amount === undefined ? {} : form.per === 'duration' ? { duration: amount } : { requests: amount }),
    ...(warmup === undefined ? {} : { warmup }),
    input: form.input === 'file' ? { kind: 'file', path: form.file.trim() } : { kind: 'sample' },
    protocol: form.protocol,
  };
}

/**
 * The form checked as the API will check it, with the contract's own schema (the same caps and
 * messages), after the checks only text can fail: a spec to send, or a message per bad field.
 */
export function checkForm(form: SpecForm): { spec: LoadtestSpecInput; errors?: undefined } | { errors: FieldMessages } {
  const errors: FieldMessages = {};
  const loads = parseLoads(form.loads);
  const amount = numberOf(form.amount);
  const warmup = numberOf(form.warmup);
  if (typeof loads === 'string') errors.loads = loads;
  if (typeof amount === 'string') errors.amount = amount;
  if (typeof warmup === 'string') errors.warmup = warmup;
  if (form.input === 'file' && form.file.trim() === '') errors.input = 'name a file in the models folder';
  if (typeof loads === 'string' || typeof amount === 'string' || typeof warmup === 'string') return { errors };
  const spec = specOf(form, loads, amount, warmup);
  const parsed = loadtestSpecSchema.safeParse(spec);
  const schemaErrors = parsed.success ? {} : fieldMessages(parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
  const all = { ...schemaErrors, ...errors };
  return Object.keys(all).length > 0 ? { errors: all } : { spec };
}
