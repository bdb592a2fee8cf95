import { z } from 'zod';
import { matcherSchema } from './alertmanager-api';

/**
 * The routing preview: which routes of the rendered alertmanager.yml an alert with given labels
 * reaches, as Alertmanager's dispatcher walks them, and which inhibit rules could mute it.
 * Matchers have the shape of Alertmanager's API (and of a silence), whatever syntax the file used.
 */

const matchers = z.array(matcherSchema);

/** One node on the way from the root route to a matched route. */
export const routeNodeSchema = z.object({
  /** Its place among its parent's `routes` (null for the root): `[null, 2, 0]` is `route.routes[2].routes[0]`. */
  index: z.number().int().nonnegative().nullable(),
  matchers,
  /** The receiver the node names itself; null when it inherits its parent's. */
  receiver: z.string().nullable(),
  /** `continue: true`: the alert goes on to the node's later siblings as well. */
  continue: z.boolean(),
});

export const integrationSchema = z.object({
  /** Alertmanager's name less `_configs`: slack, discord, email, webhook, pagerduty… */
  kind: z.string(),
  count: z.number().int().positive(),
});

/** A matched route with what it inherits: where the alert goes, and when. */
export const routeMatchSchema = z.object({
  path: z.array(routeNodeSchema).min(1),
  receiver: z.string(),
  /** What the receiver sends through; never an address or a secret. Empty: the receiver sends nothing. */
  integrations: z.array(integrationSchema),
  /** `['...']` groups by every label. */
  groupBy: z.array(z.string()),
  groupWait: z.string(),
  groupInterval: z.string(),
  repeatInterval: z.string(),
  /** The matched route's own time intervals (Alertmanager does not inherit them). */
  muteTimeIntervals: z.array(z.string()),
  activeTimeIntervals: z.array(z.string()),
});

/** An inhibit rule whose target side matches the alert: a firing alert of its source side mutes it. */
export const inhibitionSchema = z.object({
  /** Its place in `inhibit_rules`. */
  index: z.number().int().nonnegative(),
  sourceMatchers: matchers,
  /** Labels the source alert must share with this one. */
  equal: z.array(z.string()),
  /** The alert matches the source side too: it never mutes itself, only another alert like it can. */
  matchesSource: z.boolean(),
});

export const routePreviewSchema = z.object({
  /** In the order Alertmanager notifies them; more than one only through `continue: true`. */
  routes: z.array(routeMatchSchema).min(1),
  inhibitions: z.array(inhibitionSchema),
});

export type RouteNode = z.infer<typeof routeNodeSchema>;
export type RouteMatch = z.infer<typeof routeMatchSchema>;
export type Inhibition = z.infer<typeof inhibitionSchema>;
export type RoutePreview = z.infer<typeof routePreviewSchema>;
export type AlertMatcher = z.infer<typeof matcherSchema>;
