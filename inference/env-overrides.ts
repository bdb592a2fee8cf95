import { z } from 'zod';

/**
 * Environment variables over settings, derived from a zod schema's paths with a prefix
 * (`inference.maxConcurrent` under `RX580_OPS_` is `RX580_OPS_INFERENCE_MAX_CONCURRENT`). The
 * console's settings and the inference service's own both read their variables through this, so
 * a variable has one name wherever it is read or written.
 */

export interface SettingLeaf {
  envName: string;
  path: string[];
  kind: 'string' | 'number' | 'boolean' | 'list';
}

function unwrap(schema: z.ZodType): z.ZodType {
  let s: z.ZodType = schema;
  while (s instanceof z.ZodDefault || s instanceof z.ZodPrefault || s instanceof z.ZodOptional) {
    s = s.unwrap() as z.ZodType;
  }
  return s;
}

/** `maxConcurrent` -> `MAX_CONCURRENT`. */
const envWord = (key: string) => key.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();

/** Every leaf setting of a schema with its environment variable name. */
export function settingLeaves(schema: z.ZodObject, prefix: string, path: string[] = []): SettingLeaf[] {
  const leaves: SettingLeaf[] = [];
  for (const [key, child] of Object.entries(schema.shape)) {
    const inner = unwrap(child as z.ZodType);
    const childPath = [...path, key];
    if (inner instanceof z.ZodObject) {
      leaves.push(...settingLeaves(inner, prefix, childPath));
      continue;
    }
    const kind = inner instanceof z.ZodNumber ? 'number' : inner instanceof z.ZodBoolean ? 'boolean' : inner instanceof z.ZodArray ? 'list' : 'string';
    leaves.push({ envName: prefix + childPath.map(envWord).join('_'), path: childPath, kind });
  }
  return leaves;
}

/** The variable of one setting; a path the schema lacks is a programming error. */
export function envNameIn(leaves: SettingLeaf[], path: string): string {
  const leaf = leaves.find((l) => l.path.join('.') === path);
  if (!leaf) throw new Error(`There is no setting ${path}`);
  return leaf.envName;
}

function parseEnvValue(leaf: SettingLeaf, raw: string, fail: (message: string) => Error): unknown {
  if (leaf.kind === 'number') {
    const n = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(n)) throw fail(`${leaf.envName}=${raw} is not a number`);
    return n;
  }
  // Lists are comma-separated: RX580_OPS_INFERENCE_PROVIDERS=cpu or =webgpu,cpu.
  if (leaf.kind === 'list') return raw.split(',').map((v) => v.trim()).filter(Boolean);
  if (leaf.kind === 'boolean') {
    if (/^(1|true|yes|on)$/i.test(raw)) return true;
    if (/^(0|false|no|off)$/i.test(raw)) return false;
    throw fail(`${leaf.envName}=${raw} is not true or false`);
  }
  return raw;
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    node = next && typeof next === 'object' ? (next as Record<string, unknown>) : (node[key] = {});
  }
  node[path[path.length - 1]!] = value;
}

/** The variables in `env` applied over `input`; a value of the wrong kind is refused with `fail`. */
export function applyEnvOverrides(
  input: unknown,
  env: Readonly<Record<string, string | undefined>>,
  leaves: SettingLeaf[],
  fail: (message: string) => Error = (message) => new Error(message),
): Record<string, unknown> {
  const merged = structuredClone((input ?? {}) as Record<string, unknown>);
  for (const leaf of leaves) {
    const raw = env[leaf.envName];
    if (raw !== undefined) setPath(merged, leaf.path, parseEnvValue(leaf, raw, fail));
  }
  return merged;
}

/** `path: message; …` for a failed parse, `(root)` for the whole value. */
export function formatZodIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
}
