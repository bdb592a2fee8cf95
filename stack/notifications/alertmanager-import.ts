import { parse } from 'yaml';
import { CONSOLE_INHIBIT_RULES, SUPERSEDED_INHIBIT_RULES, testReceiverName, type PreservedConfig } from '../config/alertmanager-config';
import { ConsoleError } from '../console-error';
import { notificationFormSchema, RECEIVER_KINDS, SEVERITIES, type NotificationSettings, type ReceiverKind, type Severity } from './notification-settings';

/**
 * Reads an existing alertmanager.yml (the seed's hand-written kind) into the notification form.
 * What maps onto the form fills it; everything else (global settings, templates, other receiver
 * types, other routes and inhibit rules, time intervals) is kept to be rendered back untouched,
 * and each note says what happened to what.
 */

export interface ImportedConfig {
  settings: NotificationSettings;
  preserved: PreservedConfig;
  notes: string[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter(isObj) : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

/** `severity="critical"`, `severity=critical` or `match: {severity: critical}`: the severity a route selects. */
function routeSeverity(route: Obj): Severity | null {
  const fromMatch = isObj(route.match) ? str(route.match.severity) : '';
  const matchers = Array.isArray(route.matchers) ? route.matchers.map(str) : [];
  const fromMatchers = matchers.map((m) => /^\s*severity\s*=\s*"?([\w-]+)"?\s*$/.exec(m)?.[1] ?? '').find(Boolean) ?? '';
  const s = fromMatch || fromMatchers;
  return (SEVERITIES as readonly string[]).includes(s) ? (s as Severity) : null;
}

/** Matchers in one canonical form, so the seed's old `source_match` rules compare equal to ours. */
function canonicalMatchers(rule: Obj, side: 'source' | 'target'): string {
  const out: string[] = [];
  for (const m of Array.isArray(rule[`${side}_matchers`]) ? (rule[`${side}_matchers`] as unknown[]).map(str) : []) {
    const p = /^\s*(\w+)\s*(=~|!~|!=|=)\s*"?(.*?)"?\s*$/.exec(m);
    out.push(p ? `${p[1]}${p[2]}"${p[3]}"` : m);
  }
  const match = rule[`${side}_match`];
  if (isObj(match)) for (const [k, v] of Object.entries(match)) out.push(`${k}="${str(v)}"`);
  const re = rule[`${side}_match_re`];
  if (isObj(re)) for (const [k, v] of Object.entries(re)) out.push(`${k}=~"${str(v)}"`);
  return out.sort().join(',');
}

const ruleKey = (rule: Obj) => `${canonicalMatchers(rule, 'source')}|${canonicalMatchers(rule, 'target')}`;
const CONSOLE_RULE_KEYS = new Set([...CONSOLE_INHIBIT_RULES, ...SUPERSEDED_INHIBIT_RULES].map(ruleKey));

/** The seed's advice for Discord: a webhook_configs entry with `/slack` appended. */
const DISCORD_SLACK_COMPAT = /^(https?:\/\/(?:[\w-]+\.)?discord(?:app)?\.com\/api\/webhooks\/\d+\/[\w-]+)\/slack\/?$/;

/** Every receiver the routes and the routes nested in them name. */
const routeReceivers = (routes: Obj[]): string[] => routes.flatMap((r) => [str(r.receiver), ...routeReceivers(list(r.routes))]).filter(Boolean);

const CONSOLE_NAMES = new Set(['default', ...SEVERITIES, ...RECEIVER_KINDS.map(testReceiverName)]);

export function importAlertmanagerConfig(text: string): ImportedConfig {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    throw new ConsoleError('IMPORT_NOT_YAML', `The file is not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  if (!isObj(doc) || !isObj(doc.route) || !Array.isArray(doc.receivers)) {
    throw new ConsoleError('IMPORT_NOT_ALERTMANAGER', 'This is not an alertmanager.yml: it needs a `route` and a list of `receivers`.');
  }
  const notes: string[] = [];
  const preserved: PreservedConfig = {};
  const form = notificationFormSchema.parse({});
  const r = form.receivers;
  const root = doc.route;
  const childRoutes = list(root.routes);

  const severitiesOf = new Map<string, Set<Severity>>();
  const mark = (name: string, s: Severity[]) => severitiesOf.set(name, new Set([...(severitiesOf.get(name) ?? []), ...s]));
  if (str(root.receiver)) mark(str(root.receiver), [...SEVERITIES]);
  const mappedRouteReceivers = new Set<string>();
  for (const route of childRoutes) {
    const s = routeSeverity(route);
    if (s && str(route.receiver)) {
      mark(str(route.receiver), [s]);
      mappedRouteReceivers.add(str(route.receiver));
    }
  }

  const filled = new Set<ReceiverKind>();
  const take = (kind: ReceiverKind, severities: Set<Severity>, apply: () => void, receiverName: string): boolean => {
    if (filled.has(kind)) return false;
    filled.add(kind);
    apply();
    const rec = r[kind];
    for (const s of severities) rec.severities[s] = true;
    rec.enabled = severities.size > 0;
    notes.push(`${receiverName}: its ${kind} settings fill the ${kind} form${rec.enabled ? ` (${[...severities].join(' and ')})` : ', switched off: no route sends to it'}.`);
    return true;
  };

  const leftover: Obj[] = [];
  for (const rec of list(doc.receivers)) {
    const name = str(rec.name);
    const severities = severitiesOf.get(name) ?? new Set<Severity>();
    const rest: Obj = { name };
    for (const [key, value] of Object.entries(rec)) {
      if (key === 'name') continue;
      const configs = list(value);
      const unmapped: Obj[] = [];
      for (const c of configs) {
        let mapped = false;
        if (key === 'slack_configs' && str(c.api_url)) {
          mapped = take('slack', severities, () => Object.assign(r.slack, { webhookUrl: str(c.api_url), channel: str(c.channel), title: str(c.title), text: str(c.text) }), name);
        } else if (key === 'discord_configs' && str(c.webhook_url)) {
          mapped = take('discord', severities, () => (r.discord.webhookUrl = str(c.webhook_url)), name);
        } else if (key === 'webhook_configs' && str(c.url)) {
          const discord = DISCORD_SLACK_COMPAT.exec(str(c.url));
          if (discord) {
            mapped = take('discord', severities, () => (r.discord.webhookUrl = discord[1]!), name);
            if (mapped) notes.push(`${name}: the Discord webhook with /slack appended becomes Alertmanager's native Discord receiver.`);
          } else {
            mapped = take('webhook', severities, () => (r.webhook.url = str(c.url)), name);
          }
        } else if (key === 'email_configs' && str(c.to) && str(c.smarthost)) {
          const [host, port] = str(c.smarthost).split(/:(?=\d+$)/);
          mapped = take(
            'email',
            severities,
            () =>
              Object.assign(r.email, {
                smtpHost: host ?? '',
                smtpPort: Number(port ?? 587),
                from: str(c.from),
                to: str(c.to),
                username: str(c.auth_username),
                password: str(c.auth_password),
                requireTls: c.require_tls !== false,
              }),
            name,
          );
        }
        if (!mapped) unmapped.push(c);
      }
      if (unmapped.length) rest[key] = unmapped;
      else if (!configs.length && value !== undefined && !Array.isArray(value)) rest[key] = value;
    }
    if (Object.keys(rest).length > 1) leftover.push(rest);
  }

  const routesKept = childRoutes.filter(
    (route) => !(routeSeverity(route) && mappedRouteReceivers.has(str(route.receiver)) && !leftover.some((l) => l.name === str(route.receiver))),
  );
  // A kept route, or one nested in it, may send to a receiver the form took in or one without
  // integrations: it is kept whole too, or Alertmanager would refuse the rendered file.
  for (const name of new Set(routeReceivers(routesKept))) {
    const original = list(doc.receivers).find((rec) => str(rec.name) === name);
    if (original && !leftover.some((l) => l.name === name)) leftover.push({ ...original });
  }

  // Receivers the form cannot show are kept; a name the console uses itself gets a prefix.
  const renamed = new Map<string, string>();
  for (const rec of leftover) {
    const name = str(rec.name);
    const kept = CONSOLE_NAMES.has(name) ? `imported-${name}` : name;
    if (kept !== name) renamed.set(name, kept);
    rec.name = kept;
    notes.push(`Receiver "${kept}" (${Object.keys(rec).filter((k) => k !== 'name').join(', ') || 'no integration'}) is kept as it was; the form does not show it.`);
  }
  if (leftover.length) preserved.receivers = leftover;

  const renameIn = (route: Obj): Obj => ({
    ...route,
    ...(renamed.has(str(route.receiver)) ? { receiver: renamed.get(str(route.receiver)) } : {}),
    ...(Array.isArray(route.routes) ? { routes: list(route.routes).map(renameIn) } : {}),
  });
  const keptRoutes = routesKept.map(renameIn);
  if (keptRoutes.length) {
    preserved.routes = keptRoutes;
    notes.push(`${keptRoutes.length} route(s) other than the severity routes are kept after the console's own.`);
  }
  const droppedTimings = ['group_wait', 'group_interval', 'repeat_interval'].filter((k) => root[k] !== undefined);
  if (droppedTimings.length) notes.push(`The root route's ${droppedTimings.map((k) => `${k} ${str(root[k])}`).join(', ')} give way to the console's (30s, 5m, 4h).`);

  const rules = list(doc.inhibit_rules);
  const otherRules = rules.filter((rule) => !CONSOLE_RULE_KEYS.has(ruleKey(rule)));
  if (rules.length > otherRules.length) notes.push(`${rules.length - otherRules.length} inhibit rule(s) match the console's own (corrected) rules and are replaced by them.`);
  if (otherRules.length) {
    preserved.inhibit_rules = otherRules;
    notes.push(`${otherRules.length} other inhibit rule(s) are kept.`);
  }
  if (isObj(doc.global)) {
    preserved.global = doc.global;
    notes.push(`Global settings (${Object.keys(doc.global).join(', ')}) are kept.`);
  }
  for (const key of ['templates', 'time_intervals', 'mute_time_intervals'] as const) {
    const value = doc[key];
    if (Array.isArray(value) && value.length) {
      (preserved as Record<string, unknown>)[key] = value;
      notes.push(`${key} (${value.length}) are kept.`);
    }
  }
  if (!filled.size) notes.push('No Slack, Discord, e-mail or webhook receiver with an address was found: the form stays empty.');
  return { settings: form, preserved, notes };
}
