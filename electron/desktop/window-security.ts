import type { WebContents } from 'electron';
import type { Settings } from '../api/schemas/settings';
import { CONTENT_SECURITY_POLICY_HEADER } from '../core/content-security-policy';

/**
 * The console's own local services: http on 127.0.0.1 or localhost, on a port the settings give
 * one of them. Only these open (in the system browser); every other URL is refused.
 */
export function isAllowedExternalUrl(raw: string, settings: Settings): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' || url.username || url.password) return false;
  if (url.hostname !== '127.0.0.1' && url.hostname !== 'localhost') return false;
  const ports = [
    ...(['prometheus', 'alertmanager', 'grafana'] as const).filter((s) => settings[s].enabled).map((s) => settings[s].port),
    ...(settings.inference.enabled ? [settings.inference.port] : []),
  ];
  return ports.includes(Number(url.port));
}

/** What guardWebContents uses of Electron's WebContents (tests pass a recording stand-in). */
export type GuardedContents = Pick<WebContents, 'on' | 'setWindowOpenHandler' | 'session'>;

/**
 * Locks a window's page down: no navigation away from the app, no new windows, no <webview>, no
 * permission ever granted, the CSP header on every response. Allow-listed local service URLs
 * open in the system browser instead.
 */
export function guardWebContents(contents: GuardedContents, options: { isAllowedExternal: (url: string) => boolean; openExternal: (url: string) => Promise<void> }): void {
  const maybeOpen = (url: string) => {
    if (options.isAllowedExternal(url)) void options.openExternal(url);
  };
  contents.on('will-navigate', (event) => {
    event.preventDefault();
    maybeOpen(event.url);
  });
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    maybeOpen(url);
    return { action: 'deny' };
  });
  contents.session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  contents.session.setPermissionCheckHandler(() => false);
  contents.session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY_HEADER] } });
  });
}
