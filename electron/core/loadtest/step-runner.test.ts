import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_CONCURRENCY } from '../../api/schemas/loadtest';
import { planShards, startStep } from './step-runner';

const total = (shards: { connections: number; overallRate?: number; amount?: number }[], key: 'connections' | 'overallRate' | 'amount') => shards.reduce((n, s) => n + (s[key] ?? 0), 0);

describe('how a step maps onto autocannon', () => {
  it('runs the closed model as one instance, a connection per unit of concurrency', () => {
    expect(planShards('closed', 16)).toEqual([{ connections: 16 }]);
    expect(planShards('closed', 4, 100)).toEqual([{ connections: 4, amount: 100 }]);
  });

  it('splits the open model into shards whose rates, connections and requests add up', () => {
    expect(planShards('open', 1)).toEqual([{ connections: 1, overallRate: 1 }]);
    const high = planShards('open', 5000);
    expect(high).toHaveLength(10);
    expect(total(high, 'overallRate')).toBe(5000);
    expect(total(high, 'connections')).toBe(MAX_CONCURRENCY);
    const counted = planShards('open', 100, 150);
    expect([total(counted, 'overallRate'), total(counted, 'connections'), total(counted, 'amount')]).toEqual([100, 100, 150]);
    // Never more connections than requests: autocannon gives each connection at least one.
    expect(total(planShards('open', 100, 5), 'connections')).toBe(5);
  });
});

describe('a step against two workers', () => {
  const hits = [0, 0];
  const servers: Server[] = [];
  const urls: string[] = [];
  const request = { path: '/predict', body: Buffer.from('{}'), headers: { 'content-type': 'application/json' } };

  beforeAll(async () => {
    // The first answers 200 after a millisecond, the second refuses with 503.
    for (const [i, status] of [200, 503].entries()) {
      const server = createServer((req, res) => {
        hits[i]!++;
        req.resume().on('end', () => setTimeout(() => res.writeHead(status).end('{}'), 1));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      servers.push(server);
      urls.push(`http://127.0.0.1:${(server.address() as { port: number }).port}`);
    }
  });
  afterAll(() => Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve)))));

  it('spreads the connections round robin, times the 2xx answers and counts the rest by status', async () => {
    const stats = await startStep(urls, request, { shards: planShards('closed', 4, 400), timeLimitS: 10 }).done;
    expect(hits[0]).toBeGreaterThan(100);
    expect(hits[1]).toBeGreaterThan(100);
    expect(stats).toMatchObject({ requests: 400, errors: { 503: hits[1] }, cutShort: false });
    expect(stats.latencyMs!.p50).toBeGreaterThanOrEqual(1);
    expect(stats.throughput).toBeGreaterThan(0);
  });

  it('holds an open rate, and stops at its time limit', async () => {
    const open = await startStep(urls.slice(0, 1), request, { shards: planShards('open', 40), durationS: 1, timeLimitS: 10 }).done;
    expect(open).toMatchObject({ requests: 40, throughput: 40, errors: {}, cutShort: false });
    const cut = await startStep(urls.slice(0, 1), request, { shards: planShards('closed', 2), durationS: 30, timeLimitS: 0.3 }).done;
    expect(cut.cutShort).toBe(true);
    expect(cut.durationS).toBeLessThan(1);
  });
});
