import type { ModelInfo, ModelList } from '../../../inference/api-types';
import { ConsoleError, FieldErrors } from '../../../stack/console-error';
import { loadtestSpecSchema, type LoadtestSpec } from '../../api/schemas/loadtest';
import type { StackStatus } from '../../api/schemas/stack-status';
import { asConsoleError } from '../inference-error-relay';

/** What a spec is checked against: the rig's services, and each worker's loaded models. */
export interface SpecDeps {
  status: () => Promise<StackStatus>;
  models: (url: string) => Promise<ModelList>;
}

export interface LoadTarget {
  id: string;
  url: string;
}

export interface CheckedSpec {
  spec: LoadtestSpec;
  targets: LoadTarget[];
  /** The model as the first target serves it: its inputs and image form shape the request. */
  model: ModelInfo;
}

type Issue = { path: string; message: string };

/** Every problem in one error, each naming its field, so a form can mark them all at once. */
export function specErrors(issues: Issue[]): FieldErrors {
  return new FieldErrors('LOADTEST_INVALID', `The load test was not started: ${issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ')}.`, issues);
}

function parseSpec(raw: unknown): LoadtestSpec {
  const parsed = loadtestSpecSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  // An unknown field is named itself (`rate` in a closed-model spec), not its object.
  const issues = parsed.error.issues.flatMap((i) => (i.code === 'unrecognized_keys' ? i.keys.map((k) => [...i.path, k]) : [i.path]).map((path) => ({ path: path.join('.'), message: i.message })));
  throw specErrors(issues);
}

/** The workers a target names: `all` the running ones, or the one worker of that id. */
async function targetsOf(target: string, deps: SpecDeps): Promise<LoadTarget[]> {
  const workers = (await deps.status()).services.filter((s) => s.name === 'inference' && s.enabled);
  const chosen = target === 'all' ? workers.filter((w) => w.state === 'running') : workers.filter((w) => w.id === target);
  if (target !== 'all' && chosen.length === 0) {
    const known = workers.length > 0 ? `the console's workers are ${workers.map((w) => w.id).join(', ')}, or all` : 'the console has no inference worker (inference.enabled is off)';
    throw specErrors([{ path: 'target', message: `"${target}" is not one of the console's inference workers: ${known}` }]);
  }
  const down = chosen.filter((w) => w.state !== 'running');
  if (chosen.length === 0 || down.length > 0) {
    const which = down.length > 0 ? `${down.map((w) => w.id).join(', ')} is not running` : 'no inference worker is running';
    throw new ConsoleError('INFERENCE_NOT_RUNNING', `The load test was not started: ${which}. Start it (Start stack, or rx580-ops up) and try again.`, 409);
  }
  // Workers always publish their port (the load comes from this host), so each has a URL.
  return chosen.flatMap((w) => (w.url ? [{ id: w.id, url: w.url }] : []));
}

/** The model on every target (a target without it would answer nothing but 404s), as the first serves it. */
async function modelOn(targets: LoadTarget[], name: string, deps: SpecDeps): Promise<ModelInfo> {
  let first: ModelInfo | undefined;
  for (const t of targets) {
    const list = await deps.models(t.url).catch((err: unknown) => {
      throw asConsoleError(err);
    });
    const model = list.models.find((m) => m.name === name);
    if (!model) {
      const loaded = list.models.length > 0 ? `loaded: ${list.models.map((m) => m.name).join(', ')}` : 'it has no model loaded';
      throw specErrors([{ path: 'model', message: `no model named "${name}" is loaded on ${t.id} (${loaded})` }]);
    }
    first ??= model;
  }
  return first!;
}

/** The spec, its targets and its model, or a FieldErrors naming each bad field: nothing is started before. */
export async function checkSpec(raw: unknown, deps: SpecDeps): Promise<CheckedSpec> {
  const spec = parseSpec(raw);
  const targets = await targetsOf(spec.target, deps);
  return { spec, targets, model: await modelOn(targets, spec.model, deps) };
}
