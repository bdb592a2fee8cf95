import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_CONCURRENCY } from '../../api/schemas/loadtest';
import * as hdr from 'hdr-histogram-js';
import { latencySummary, planShards, startStep } from './step-runner';

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

describe("a step's latencies", () => {
  const histogram = (values: number[]) => {
    const h = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3 });
    for (const v of values) h.recordValue(v);
    return h;
  };

  it('never puts a percentile or the mean above the largest latency recorded', () => {
    // 10,001 µs falls in a bucket 8 µs wide, whose top (10,007 µs) is what a percentile reads.
    expect(histogram([10_001]).getValueAtPercentile(99)).toBeGreaterThan(10_001);
    expect(latencySummary(histogram(Array.from({ length: 100 }, () => 10_001)))).toEqual({ p50: 10.001, p90: 10.001, p95: 10.001, p99: 10.001, max: 10.001, mean: 10.001 });
  });

  it('reads the percentiles in order, in ms', () => {
    const l = latencySummary(histogram(Array.from({ length: 1000 }, (_, i) => 1000 + i * 10)));
    expect([l.p50, l.p90, l.p95, l.p99, l.max]).toEqual([...[l.p50, l.p90, l.p95, l.p99, l.max]].sort((a, b) => a - b));
    expect(l.p50).toBeCloseTo(6, 1);
    expect(l.max).toBe(10.99);
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
