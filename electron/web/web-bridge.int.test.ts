import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSettings } from '../settings/settings-file';
import { ConsoleCore } from '../core/console-core';
import { CONTENT_SECURITY_POLICY_HEADER } from '../core/content-security-policy';
import { startWebBridge, TOKEN_COOKIE, type WebBridge } from './web-bridge';

// A real ConsoleCore behind a real HTTP server; the Docker endpoint is a socket that does not
// exist, so answers are deterministic without an engine.
describe('web bridge', () => {
  let bridge: WebBridge;
  let core: ConsoleCore;

  beforeAll(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rx580-bridge-'));
    await writeFile(join(dir, 'index.html'), '<!doctype html><title>RX580 Ops Console</title>');
    const settings = parseSettings({ project: 'rx580-bridge-test', dataDir: dir });
    core = new ConsoleCore({ settings, settingsFile: join(dir, 'settings.json'), mode: 'web', env: { DOCKER_HOST: 'unix:///tmp/rx580-bridge-no-engine.sock' } });
    bridge = await startWebBridge({ handlers: core.handlers, events: core, port: 0, rendererDir: dir, heartbeatMs: 50 });
  });

  afterAll(async () => {
    core.close();
    await bridge.close();
  });

  const invoke = (method: string, body: unknown, headers: Record<string, string> = { authorization: `Bearer ${bridge.token}` }) =>
    fetch(`${bridge.url}/api/invoke/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });

  it('binds 127.0.0.1 only', () => {
    expect(bridge.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('refuses API requests without the token, or with a wrong one, with 401 and a JSON message', async () => {
    const attempts: Record<string, string>[] = [{}, { authorization: 'Bearer nope' }, { cookie: `${TOKEN_COOKIE}=nope` }];
    for (const headers of attempts) {
      const res = await invoke('app.info', { args: [] }, headers);
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    }
    expect((await fetch(`${bridge.url}/api/events`)).status).toBe(401);
  });

  it('answers a valid call with the result', async () => {
    const res = await invoke('app.info', { args: [] });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, result: { mode: 'web', project: 'rx580-bridge-test' } });
  });

  it('answers a bad argument with 400 and a JSON message naming the field', async () => {
    const res = await invoke('logs.tail', { args: ['Not A Source!', { tail: 10 }] });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; message: string; issues: { path: string }[] } };
    expect(body.error.code).toBe('BAD_ARGUMENT');
    expect(body.error.message).toMatch(/^Invalid arguments for logs\.tail: argument 0: /);
    expect(body.error.issues[0]!.path).toBe('0');

    const tooMany = await invoke('logs.tail', { args: ['prometheus', { tail: 10_000 }] });
    expect(tooMany.status).toBe(400);
    expect(((await tooMany.json()) as { error: { issues: { path: string }[] } }).error.issues[0]!.path).toBe('1.tail');
  });

  it('answers malformed bodies and unknown methods with 4xx JSON, never a crash', async () => {
    const notJson = await fetch(`${bridge.url}/api/invoke/app.info`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${bridge.token}` },
      body: '{"args": [',
    });
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });

    expect((await invoke('app.info', [1, 2])).status).toBe(400);
    const unknown = await invoke('stack.explode', { args: [] });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: 'UNKNOWN_METHOD' } });
  });

  it('reports an unreachable engine as 503 with the socket in the message', async () => {
    const res = await invoke('stack.up', { args: [] });
    expect(res.status).toBe(503);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('ENGINE_UNREACHABLE');
    expect(body.error.message).toContain('unix:///tmp/rx580-bridge-no-engine.sock');
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${bridge.url}/api/invoke/app.info`, { method: 'POST', headers: { host: 'evil.example:80', authorization: `Bearer ${bridge.token}`, 'content-type': 'application/json' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end('{"args":[]}');
    });
    expect(status).toBe(403);
  });

  it('trades the token in the URL for an HttpOnly same-site cookie that authorises the API', async () => {
    const res = await fetch(bridge.openUrl, { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/');
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const api = await invoke('app.info', { args: [] }, { cookie: cookie.split(';')[0]! });
    expect(api.status).toBe(200);
    expect((await fetch(`${bridge.url}/?token=wrong`, { redirect: 'manual' })).status).toBe(401);
  });

  it('sends the Content-Security-Policy with the page and with API answers', async () => {
    const page = await fetch(`${bridge.url}/`);
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY_HEADER);
    expect((await invoke('app.info', { args: [] })).headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY_HEADER);
  });

  it('streams events over SSE', async () => {
    const controller = new AbortController();
    const res = await fetch(`${bridge.url}/api/events`, { headers: { authorization: `Bearer ${bridge.token}` }, signal: controller.signal });
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = res.body!.getReader();
    let text = '';
    while (!text.includes('event: stack.status')) text += new TextDecoder().decode((await reader.read()).value);
    controller.abort();
    const data = /event: stack\.status\ndata: (.*)\n/.exec(text)![1]!;
    expect(JSON.parse(data)).toMatchObject({ project: 'rx580-bridge-test', engine: { reachable: false } });
  });
});
