import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiHandlers } from '../../api/contract';
import { parseSettings } from '../../settings/settings-file';
import { dispatchApiCall } from '../dispatch';
import { monitoringHandlers } from './monitoring-handlers';

// The alert history and bulk expiry through the real dispatcher, against a stand-in Prometheus
// and Alertmanager on loopback (the real ones: alert-history.int.test.ts).
const requests: { path: string; body: URLSearchParams }[] = [];
const GONE = 'silence 00000000-0000-0000-0000-00000000dead not found';

async function answer(req: IncomingMessage): Promise<[number, unknown]> {
  const url = new URL(req.url!, 'http://x');
  let raw = '';
  for await (const chunk of req) raw += chunk;
  requests.push({ path: `${req.method} ${url.pathname}`, body: new URLSearchParams(raw) });
  if (url.pathname === '/api/v1/query_range') {
    const metric = { __name__: 'ALERTS', alertname: 'APIDown', alertstate: 'firing', severity: 'critical', gpu: 'cpu' };
    return [200, { status: 'success', data: { resultType: 'matrix', result: [{ metric, values: [[1020, '1'], [1050, '1'], [1080, '1']] }] } }];
  }
  if (url.pathname.endsWith('dead')) return [404, GONE];
  if (url.pathname.startsWith('/api/v2/silence/')) return [200, ''];
  return [404, 'no such path'];
}

let server: Server;
let call: (method: string, ...args: unknown[]) => ReturnType<typeof dispatchApiCall>;

beforeAll(async () => {
  server = createServer((req, res) => {
    void answer(req).then(([status, body]) => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const settings = parseSettings({ dataDir: '/nonexistent', prometheus: { port }, alertmanager: { port }, alerts: { evaluationInterval: '30s' } });
  const handlers = monitoringHandlers(settings) as unknown as ApiHandlers;
  call = (method, ...args) => dispatchApiCall(handlers, method, args, () => undefined);
});

afterAll(() => new Promise((resolve) => server.close(resolve)));

describe('prometheus.alertHistory', () => {
  it('samples ALERTS on the evaluation grid and answers the periods', async () => {
    requests.length = 0;
    const { status, body } = await call('prometheus.alertHistory', { start: 1005, end: 1125 });
    expect(status).toBe(200);
    expect(requests).toHaveLength(1);
    expect(Object.fromEntries(requests[0]!.body)).toEqual({ query: 'ALERTS{alertstate="firing"}', start: '990', end: '1110', step: '30' });
    expect(body).toEqual({
      ok: true,
      result: {
        start: 990,
        end: 1110,
        step: 30,
        evaluationSeconds: 30,
        entries: [
          {
            alertname: 'APIDown',
            severity: 'critical',
            labels: { alertname: 'APIDown', severity: 'critical', gpu: 'cpu' },
            periods: [{ start: 1020, end: 1110, durationSeconds: 90, startedBeforeRange: false }],
            count: 1,
          },
        ],
      },
    });
  });

  it.each([
    [{ start: 1000, end: 1000 }, /end must be after start/],
    [{ start: 1000, end: 1030 }, /shorter than one minute/],
    [{ start: 0, end: 8 * 86_400 }, /longer than 7 days/],
    [{ start: -5, end: 100 }, /start/],
    [{ start: 1000 }, /end/],
    [{ start: 1000, end: 5000, step: 5 }, /step/],
    [{ rangeSeconds: 3600 }, /start/],
  ])('refuses %j with a 400 that says why', async (args, message) => {
    const { status, body } = await call('prometheus.alertHistory', args);
    expect(status).toBe(400);
    expect(body).toMatchObject({ ok: false, error: { code: 'BAD_ARGUMENT', message: expect.stringMatching(message) } });
  });
});

describe('alertmanager.expireSilences', () => {
  it('expires each silence and reports each failure on its own', async () => {
    requests.length = 0;
    const ids = ['0000-aaaa', '00000000-0000-0000-0000-00000000dead', '0000-bbbb'];
    const { status, body } = await call('alertmanager.expireSilences', ids);
    expect(status).toBe(200);
    expect(requests.map((r) => r.path)).toEqual(ids.map((id) => `DELETE /api/v2/silence/${id}`));
    expect(body).toEqual({
      ok: true,
      result: {
        results: [
          { id: ids[0], expired: true, error: null },
          { id: ids[1], expired: false, error: GONE },
          { id: ids[2], expired: true, error: null },
        ],
      },
    });
  });

  it.each([
    [[], /at least one silence id/],
    [['abc', 'abc'], /listed twice/],
    [['../x'], /not a silence id/],
    [Array.from({ length: 201 }, (_, i) => i.toString(16)), /at most 200/],
  ])('refuses %j with a 400', async (ids, message) => {
    const { status, body } = await call('alertmanager.expireSilences', ids);
    expect(status).toBe(400);
    expect(body).toMatchObject({ ok: false, error: { code: 'BAD_ARGUMENT', message: expect.stringMatching(message) } });
  });
});
