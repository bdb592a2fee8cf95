import type { AlertMatcher } from '../../electron/api/schemas/route-preview';
import { ConsoleError } from '../console-error';
import { goRegexp } from './go-regexp';

/**
 * Label matchers as Alertmanager 0.25 reads them from its config file: `matchers:` lines
 * (`severity=~"crit|warn"`, `foo!=x`, `{a="1", b!~"2"}`), and the older `match:` and `match_re:`
 * maps. A label the alert does not carry has the empty value, so `foo!="x"` matches it.
 */

/** A matcher ready to test labels with. */
export interface CompiledMatcher extends AlertMatcher {
  test(labels: Record<string, string>): boolean;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const invalid = (where: string, message: string) => new ConsoleError('ROUTE_CONFIG_INVALID', `${where}: ${message}`, 422);

export function compileMatcher(m: AlertMatcher): CompiledMatcher {
  const re = m.isRegex ? goRegexp(m.value) : null;
  const hit = (value: string) => (re ? re.test(value) : value === m.value);
  // Own properties only: a label named `constructor` is not Object's.
  return { ...m, test: (labels) => hit(Object.hasOwn(labels, m.name) ? labels[m.name]! : '') === m.isEqual };
}

// Go's `\s` is [\t\n\f\r ]; the value is taken lazily so trailing white space is not part of it.
const MATCHER = /^[\t\n\f\r ]*([a-zA-Z_:][a-zA-Z0-9_:]*)[\t\n\f\r ]*(=~|=|!=|!~)[\t\n\f\r ]*([\s\S]*?)[\t\n\f\r ]*$/;

/** One matcher: the value may be quoted, with `\"`, `\\` and `\n` escapes; a stray `\` stays literal. */
function parseMatcher(text: string, where: string): AlertMatcher {
  const m = MATCHER.exec(text);
  if (!m) throw invalid(where, `"${text}" is not a matcher (name, then =, !=, =~ or !~, then a value).`);
  const [, name, op, raw] = m as unknown as [string, string, string, string];
  const quoted = raw.startsWith('"');
  const body = quoted ? raw.slice(1) : raw;
  let value = '';
  let closed = !quoted;
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === '\\' && i < body.length - 1) {
      const next = body[++i]!;
      value += next === 'n' ? '\n' : next === '"' || next === '\\' ? next : `\\${next}`;
    } else if (c === '"') {
      if (!quoted || i < body.length - 1) throw invalid(where, `the value of "${text}" has an unescaped double quote.`);
      closed = true;
    } else {
      value += c;
    }
  }
  if (!closed) throw invalid(where, `the value of "${text}" has no closing double quote.`);
  return { name, value, isRegex: op.endsWith('~'), isEqual: op.startsWith('=') };
}

/** A `matchers:` line: one or more matchers, comma-separated outside quotes, in optional braces. */
export function parseMatcherLine(line: string, where: string): AlertMatcher[] {
  const inner = line.replace(/^\{/, '').replace(/\}$/, '');
  const tokens: string[] = [];
  let token = '';
  let quoted = false;
  let escaped = false;
  for (const c of inner) {
    if (c === ',' && !quoted) {
      tokens.push(token);
      token = '';
      continue;
    }
    if (c === '"') {
      if (escaped) escaped = false;
      else quoted = !quoted;
    } else if (c === '\\') escaped = !escaped;
    else if (c !== ',') escaped = false;
    token += c;
  }
  if (token.trim()) tokens.push(token.trim());
  return tokens.map((t) => parseMatcher(t, where));
}

const scalar = (v: unknown): string | null => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : null);

/** The matchers of a route or of one side of an inhibit rule (`prefix` '' or `source_` / `target_`). */
export function matchersOf(node: Obj, prefix: string, where: string): CompiledMatcher[] {
  const out: AlertMatcher[] = [];
  for (const [key, isRegex] of [[`${prefix}match`, false], [`${prefix}match_re`, true]] as const) {
    const map = node[key];
    if (map === undefined || map === null) continue;
    if (!isObj(map)) throw invalid(where, `${key} must map label names to values.`);
    for (const [name, v] of Object.entries(map)) {
      const value = scalar(v);
      if (value === null || !/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(name)) throw invalid(where, `${key} has an invalid entry "${name}".`);
      out.push({ name, value, isRegex, isEqual: true });
    }
  }
  const lines = node[`${prefix}matchers`];
  if (lines !== undefined && lines !== null) {
    if (!Array.isArray(lines) || lines.some((l) => typeof l !== 'string')) throw invalid(where, `${prefix}matchers must be a list of strings.`);
    for (const line of lines as string[]) out.push(...parseMatcherLine(line, where));
  }
  return out.map(compileMatcher);
}

export const matchesAll = (matchers: CompiledMatcher[], labels: Record<string, string>) => matchers.every((m) => m.test(labels));

/** The plain matcher, as the API carries it. */
export const plainMatcher = ({ name, value, isRegex, isEqual }: CompiledMatcher): AlertMatcher => ({ name, value, isRegex, isEqual });
