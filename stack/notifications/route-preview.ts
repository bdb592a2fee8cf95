import type { Inhibition, RouteMatch, RouteNode, RoutePreview } from '../../electron/api/schemas/route-preview';
import { ConsoleError } from '../console-error';
import { matchersOf, matchesAll, plainMatcher, type CompiledMatcher } from './alertmanager-matchers';

/**
 * Where Alertmanager's dispatcher sends an alert with these labels, from an alertmanager.yml as
 * an object. The root route takes every alert; a node's children are tried in order, and a
 * matching child is descended into; the first matching child ends the search on its level unless
 * it has `continue: true`; a node none of whose children match is where the alert lands. Each
 * node inherits receiver, group_by and the three timings from its parent (the root from
 * Alertmanager's defaults); its time intervals are its own.
 */

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Alertmanager's DefaultRouteOpts: what the root route has unless it says otherwise. */
const ROUTE_DEFAULTS = { groupBy: [] as string[], groupWait: '30s', groupInterval: '5m', repeatInterval: '4h' };

const invalid = (message: string) => new ConsoleError('ROUTE_CONFIG_INVALID', message, 422);

/** What a node passes down to its children. */
interface Options {
  receiver: string;
  groupBy: string[];
  groupWait: string;
  groupInterval: string;
  repeatInterval: string;
}

/** A route of the tree, its matchers compiled and its options resolved. */
export interface ResolvedRoute {
  node: RouteNode;
  compiled: CompiledMatcher[];
  options: Options;
  muteTimeIntervals: string[];
  activeTimeIntervals: string[];
  children: ResolvedRoute[];
}

// Prometheus's duration syntax, as Alertmanager's config reads it.
const DURATION = /^(?:\d+y)?(?:\d+w)?(?:\d+d)?(?:\d+h)?(?:\d+m)?(?:\d+s)?(?:\d+ms)?$/;

function duration(route: Obj, key: string, where: string, inherited: string): string {
  const v = route[key];
  if (v === undefined || v === null) return inherited;
  if (typeof v !== 'string' || v === '' || !DURATION.test(v)) throw invalid(`${where}: ${key} "${String(v)}" is not a duration such as 30s, 5m or 4h.`);
  return v;
}

function names(route: Obj, key: string, where: string): string[] {
  const v = route[key];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.some((n) => typeof n !== 'string')) throw invalid(`${where}: ${key} must be a list of names.`);
  return v as string[];
}

/** `group_by`: `['...']` groups by every label; an empty list inherits, as in Alertmanager. */
function groupBy(route: Obj, where: string, inherited: string[]): string[] {
  const list = names(route, 'group_by', where);
  if (list.includes('...') && list.length > 1) throw invalid(`${where}: group_by cannot have '...' and other labels at once.`);
  return list.length ? list : inherited;
}

const describe = (index: (number | null)[]) => (index.length === 1 ? 'the root route' : `route ${index.slice(1).join('.')}`);

function resolve(route: Obj, parent: Options | null, index: (number | null)[], receivers: Set<string>): ResolvedRoute {
  const where = describe(index);
  const base = parent ?? { receiver: '', ...ROUTE_DEFAULTS };
  const own = route.receiver === undefined || route.receiver === null || route.receiver === '' ? null : route.receiver;
  if (own !== null && typeof own !== 'string') throw invalid(`${where}: receiver must be a name.`);
  if (own !== null && !receivers.has(own)) throw invalid(`${where}: the receiver "${own}" is not defined in receivers.`);
  const options: Options = {
    receiver: own ?? base.receiver,
    groupBy: groupBy(route, where, base.groupBy),
    groupWait: duration(route, 'group_wait', where, base.groupWait),
    groupInterval: duration(route, 'group_interval', where, base.groupInterval),
    repeatInterval: duration(route, 'repeat_interval', where, base.repeatInterval),
  };
  const compiled = matchersOf(route, '', where);
  const kids = route.routes ?? [];
  if (!Array.isArray(kids) || !kids.every(isObj)) throw invalid(`${where}: routes must be a list of routes.`);
  return {
    node: { index: index[index.length - 1] ?? null, matchers: compiled.map(plainMatcher), receiver: own, continue: route.continue === true },
    compiled,
    options,
    muteTimeIntervals: names(route, 'mute_time_intervals', where),
    activeTimeIntervals: names(route, 'active_time_intervals', where),
    children: kids.map((child, i) => resolve(child, options, [...index, i], receivers)),
  };
}

/** The routing tree of a config, checked as Alertmanager checks it on load. */
export function routeTree(config: unknown): ResolvedRoute {
  if (!isObj(config) || !isObj(config.route)) throw invalid('The configuration has no `route`.');
  const receivers = new Set(receiverList(config).map((r) => r.name as string));
  const root = config.route;
  if (typeof root.receiver !== 'string' || root.receiver === '') throw invalid('The root route names no receiver: every alert needs one to fall back on.');
  const tree = resolve(root, null, [null], receivers);
  if (tree.compiled.length) throw invalid('The root route has matchers: it must take every alert.');
  if (tree.muteTimeIntervals.length || tree.activeTimeIntervals.length) throw invalid('The root route cannot have time intervals.');
  return tree;
}

function receiverList(config: Obj): Obj[] {
  const list = config.receivers;
  if (!Array.isArray(list) || !list.every((r) => isObj(r) && typeof r.name === 'string' && r.name !== '')) {
    throw invalid('The configuration needs a list of `receivers`, each with a name.');
  }
  return list as Obj[];
}

/** The matched routes in the dispatcher's order, each with the path from the root to it. */
function matchRoutes(route: ResolvedRoute, labels: Record<string, string>, path: ResolvedRoute[] = []): ResolvedRoute[][] | null {
  if (!matchesAll(route.compiled, labels)) return null;
  const here = [...path, route];
  const all: ResolvedRoute[][] = [];
  for (const child of route.children) {
    const matched = matchRoutes(child, labels, here);
    if (matched) all.push(...matched);
    if (matched && !child.node.continue) break;
  }
  return all.length ? all : [here];
}

/** What a receiver sends through: each `*_configs` list, by kind and count; addresses stay out. */
function integrationsOf(receiver: Obj | undefined): RouteMatch['integrations'] {
  return Object.entries(receiver ?? {})
    .filter(([key, v]) => key.endsWith('_configs') && Array.isArray(v) && v.length > 0)
    .map(([key, v]) => ({ kind: key.slice(0, -'_configs'.length), count: (v as unknown[]).length }));
}

/** Inhibit rules whose target side matches the labels. */
function inhibitionsOf(config: Obj, labels: Record<string, string>): Inhibition[] {
  const rules = config.inhibit_rules ?? [];
  if (!Array.isArray(rules) || !rules.every(isObj)) throw invalid('inhibit_rules must be a list of rules.');
  const out: Inhibition[] = [];
  rules.forEach((rule, index) => {
    const where = `inhibit rule ${index}`;
    const target = matchersOf(rule, 'target_', where);
    const source = matchersOf(rule, 'source_', where);
    if (!matchesAll(target, labels)) return;
    out.push({ index, sourceMatchers: source.map(plainMatcher), equal: names(rule, 'equal', where), matchesSource: matchesAll(source, labels) });
  });
  return out;
}

/** The routing preview of one label set against a config (parsed alertmanager.yml). */
export function previewRoute(config: unknown, labels: Record<string, string>): RoutePreview {
  const tree = routeTree(config);
  const obj = config as Obj;
  const receivers = new Map(receiverList(obj).map((r) => [r.name as string, r]));
  const routes = matchRoutes(tree, labels)!.map((path): RouteMatch => {
    const leaf = path[path.length - 1]!;
    const o = leaf.options;
    return {
      path: path.map((r) => r.node),
      receiver: o.receiver,
      integrations: integrationsOf(receivers.get(o.receiver)),
      groupBy: o.groupBy,
      groupWait: o.groupWait,
      groupInterval: o.groupInterval,
      repeatInterval: o.repeatInterval,
      muteTimeIntervals: leaf.muteTimeIntervals,
      activeTimeIntervals: leaf.activeTimeIntervals,
    };
  });
  return { routes, inhibitions: inhibitionsOf(obj, labels) };
}
