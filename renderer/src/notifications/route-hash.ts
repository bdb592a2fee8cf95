import { routeLabelsSchema } from '../../../electron/api/notifications-contract';
import { hashParams, pageHref } from '../shell/hash-route';

/**
 * The address that opens the Notifications page's routing preview with an alert's labels:
 * `#/notifications?route=<labels as JSON, URL-encoded>`, so another page (an alert in the
 * history, say) can link to where that alert goes.
 */

/** The Notifications page's id in PAGES (not imported from there: that would be a cycle). */
const PAGE = 'notifications';
const PARAM = 'route';

export function routePreviewHref(labels: Record<string, string>): string {
  return pageHref(PAGE, { [PARAM]: JSON.stringify(labels) });
}

/** The labels a hash asks the preview for; null when it asks nothing, an error for the user when they cannot be read. */
export function labelsFromHash(hash: string): { labels: Record<string, string> } | { error: string } | null {
  const raw = hashParams(hash).get(PARAM);
  if (raw === null) return null;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return { error: 'The address asks for a routing preview, but its labels are not JSON such as {"severity":"critical"}.' };
  }
  const parsed = routeLabelsSchema.safeParse(value);
  if (parsed.success) return { labels: parsed.data };
  const issue = parsed.error.issues[0]!;
  return { error: `The address asks for a routing preview with labels it cannot use: ${issue.path.length ? `${issue.path.join('.')}: ` : ''}${issue.message}.` };
}
