import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { parseSettings } from '../settings/settings-file';
import { CONTENT_SECURITY_POLICY_HEADER } from '../core/content-security-policy';
import { guardWebContents, isAllowedExternalUrl, type GuardedContents } from './window-security';

const settings = parseSettings({ prometheus: { port: 19090 }, grafana: { enabled: false, port: 13000 }, inference: { port: 18000 } });

describe('isAllowedExternalUrl', () => {
  it.each([
    ['http://127.0.0.1:19090/graph', true],
    ['http://localhost:9093/#/alerts', true],
    ['http://127.0.0.1:18000/health', true],
    ['http://127.0.0.1:13000/', false],
    ['http://127.0.0.1:9090/', false],
    ['https://127.0.0.1:19090/', false],
    ['http://user:pw@127.0.0.1:19090/', false],
    ['http://example.com:19090/', false],
    ['http://127.0.0.1.evil.test:19090/', false],
    ['file:///etc/passwd', false],
    ['javascript:alert(1)', false],
    ['not a url', false],
  ])('%s -> %s', (url, allowed) => {
    expect(isAllowedExternalUrl(url, settings)).toBe(allowed);
  });
});

/** Records what guardWebContents installs on Electron's WebContents (no Electron binary here). */
class RecordingContents extends EventEmitter {
  openHandler: ((d: { url: string }) => { action: string }) | null = null;
  permissionHandler: ((wc: unknown, permission: string, cb: (granted: boolean) => void) => void) | null = null;
  checkHandler: (() => boolean) | null = null;
  headersHandler: ((details: { responseHeaders?: Record<string, string[]> }, cb: (r: { responseHeaders: Record<string, string[]> }) => void) => void) | null = null;
  setWindowOpenHandler = (h: RecordingContents['openHandler']) => void (this.openHandler = h);
  session = {
    setPermissionRequestHandler: (h: RecordingContents['permissionHandler']) => void (this.permissionHandler = h),
    setPermissionCheckHandler: (h: RecordingContents['checkHandler']) => void (this.checkHandler = h),
    webRequest: { onHeadersReceived: (h: RecordingContents['headersHandler']) => void (this.headersHandler = h) },
  };
}

describe('guardWebContents', () => {
  const setup = () => {
    const contents = new RecordingContents();
    const opened: string[] = [];
    guardWebContents(contents as unknown as GuardedContents, { isAllowedExternal: (u) => isAllowedExternalUrl(u, settings), openExternal: async (u) => void opened.push(u) });
    return { contents, opened };
  };
  const navigate = (contents: RecordingContents, name: string, url: string) => {
    const event = { url, prevented: false, preventDefault: () => (event.prevented = true) };
    contents.emit(name, event);
    return event.prevented;
  };

  it('blocks every navigation and opens allow-listed local service URLs in the system browser', () => {
    const { contents, opened } = setup();
    expect(navigate(contents, 'will-navigate', 'https://evil.test/')).toBe(true);
    expect(navigate(contents, 'will-navigate', 'http://127.0.0.1:19090/alerts')).toBe(true);
    expect(navigate(contents, 'will-redirect', 'https://evil.test/')).toBe(true);
    expect(navigate(contents, 'will-attach-webview', 'about:blank')).toBe(true);
    expect(opened).toEqual(['http://127.0.0.1:19090/alerts']);
  });

  it('denies every new window, opening only allow-listed URLs outside', () => {
    const { contents, opened } = setup();
    expect(contents.openHandler!({ url: 'http://localhost:9093/' })).toEqual({ action: 'deny' });
    expect(contents.openHandler!({ url: 'https://evil.test/' })).toEqual({ action: 'deny' });
    expect(opened).toEqual(['http://localhost:9093/']);
  });

  it('denies every permission request and check, and adds the CSP header', () => {
    const { contents } = setup();
    for (const permission of ['notifications', 'media', 'geolocation', 'clipboard-read', 'openExternal']) {
      let granted: boolean | null = null;
      contents.permissionHandler!(null, permission, (g) => (granted = g));
      expect(granted).toBe(false);
    }
    expect(contents.checkHandler!()).toBe(false);
    let headers: Record<string, string[]> = {};
    contents.headersHandler!({ responseHeaders: { 'content-type': ['text/html'] } }, (r) => (headers = r.responseHeaders));
    expect(headers).toEqual({ 'content-type': ['text/html'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY_HEADER] });
  });
});
