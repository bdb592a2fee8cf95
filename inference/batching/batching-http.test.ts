import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatherModel, writeModel } from '../testing/small-models';
import { call, startTestService, type TestService } from '../testing/test-service';
import { binaryOutputs, v2Post, type V2Answer } from '../testing/v2-client';

/**
 * The same requests to a service that batches and to one that does not: concurrent requests are
 * joined (the batch-size histogram says so), every answer is the unbatched one to the bit, and a
 * request that fails in a batch fails alone, with the error it gets unbatched.
 */

const REQUESTS = 16;
const DELAY_MS = 30;
/** Every fourth request sends two rows. */
const rowsOf = (i: number) => (i % 4 === 0 ? 2 : 1);
const TOTAL_ROWS = Array.from({ length: REQUESTS }, (_, i) => rowsOf(i)).reduce((a, b) => a + b, 0);
const pixels = (i: number) => Float32Array.from({ length: rowsOf(i) * 784 }, (_, k) => ((k * 7 + i * 131) % 256) / 255);
const dims = (i: number) => [rowsOf(i), 1, 28, 28];

const predictDigits = (i: number) => ({ model_name: 'digits', inputs: { image: { dims: dims(i), data: Array.from(pixels(i)) } } });
const floatBytes = (data: number[]) => Buffer.from(Float32Array.from(data).buffer);

/** v2 with binary tensors both ways: the answer's bytes are onnxruntime's own. */
const inferDigits = (svc: TestService, i: number) =>
  v2Post(
    `${svc.url}/v2/models/digits/infer`,
    { inputs: [{ name: 'image', datatype: 'FP32', shape: dims(i), parameters: { binary_data_size: pixels(i).byteLength } }], parameters: { binary_data_output: true } },
    [Buffer.from(pixels(i).buffer)],
  );

/** Gather indices per request: one out of range (the table has 5 rows), the rest fine. */
const BAD = 3;
const indices = (i: number) => (i === BAD ? [7] : [i % 5, (i + 2) % 5]);
const predictGather = (i: number) => ({ model_name: 'gather', inputs: { idx: { dims: [indices(i).length], data: indices(i) } } });
const inferGather = (svc: TestService, i: number) =>
  v2Post(`${svc.url}/v2/models/gather/infer`, { inputs: [{ name: 'idx', datatype: 'INT64', shape: [indices(i).length], data: indices(i) }] });

/** An answer without what differs between two runs of the same request (timings, timestamps). */
const stable = (json: any) => {
  const { latency_ms: _l, inference_ms: _i, timestamp: _t, ...rest } = json;
  return rest;
};

async function histogram(svc: TestService, name: string, model: string) {
  const text = (await call(svc, 'GET', '/metrics')).text;
  const value = (suffix: string, le?: string) => Number(new RegExp(`^${name}_${suffix}\\{${le ? `le="${le}",` : ''}model="${model}"\\} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
  return { count: value('count'), sum: value('sum'), single: value('bucket', '1') };
}

async function inSequence<T>(n: number, send: (i: number) => Promise<T>): Promise<T[]> {
  const answers: T[] = [];
  for (let i = 0; i < n; i++) answers.push(await send(i));
  return answers;
}
const atOnce = <T>(n: number, send: (i: number) => Promise<T>) => Promise.all(Array.from({ length: n }, (_, i) => send(i)));

describe('dynamic batching over HTTP', () => {
  let batched: TestService;
  let plain: TestService;

  beforeAll(async () => {
    [batched, plain] = await Promise.all([startTestService({ batching: { maxBatchSize: 8, maxQueueDelayMs: DELAY_MS } }), startTestService()]);
    for (const svc of [batched, plain]) {
      await writeModel(svc.modelsDir, 'gather.onnx', gatherModel());
      for (const path of ['digits.onnx', 'gather.onnx']) expect((await call(svc, 'POST', '/models/load', { path })).status).toBe(201);
    }
  });
  afterAll(async () => {
    await Promise.all([batched?.stop(), plain?.stop()]);
  });

  it('answers concurrent /predict requests, some of two rows, exactly as unbatched, in fewer runs', async () => {
    const want = await inSequence(REQUESTS, (i) => call(plain, 'POST', '/predict', predictDigits(i)));
    const got = await atOnce(REQUESTS, (i) => call(batched, 'POST', '/predict', predictDigits(i)));
    got.forEach((res, i) => {
      expect(res.status).toBe(200);
      expect(res.json.outputs.probabilities.dims).toEqual([rowsOf(i), 10]);
      expect(floatBytes(res.json.outputs.probabilities.data).equals(floatBytes(want[i]!.json.outputs.probabilities.data))).toBe(true);
      expect(res.json.predictions).toEqual(want[i]!.json.predictions);
    });
    const runs = await histogram(batched, 'inference_batch_size', 'digits');
    expect(runs.sum).toBe(TOTAL_ROWS);
    expect(runs.count).toBeLessThan(REQUESTS);
    expect(runs.single).toBeLessThan(runs.count);
  });

  it('answers concurrent v2 binary requests with the unbatched bytes', async () => {
    const before = await histogram(batched, 'inference_batch_size', 'digits');
    const want = await inSequence(REQUESTS, (i) => inferDigits(plain, i));
    const got = await atOnce(REQUESTS, (i) => inferDigits(batched, i));
    got.forEach((res: V2Answer, i) => {
      expect(res.status).toBe(200);
      expect(res.json.outputs[0]).toMatchObject({ name: 'probabilities', shape: [rowsOf(i), 10] });
      expect(binaryOutputs(res).probabilities!.equals(binaryOutputs(want[i]!).probabilities!)).toBe(true);
    });
    const after = await histogram(batched, 'inference_batch_size', 'digits');
    expect(after.sum - before.sum).toBe(TOTAL_ROWS);
    expect(after.count - before.count).toBeLessThan(REQUESTS);
  });

  it('fails a bad request in a batch alone, with its unbatched error, and answers the others', async () => {
    const n = 8;
    const [wantPredict, gotPredict] = [await inSequence(n, (i) => call(plain, 'POST', '/predict', predictGather(i))), await atOnce(n, (i) => call(batched, 'POST', '/predict', predictGather(i)))];
    const [wantV2, gotV2] = [await inSequence(n, (i) => inferGather(plain, i)), await atOnce(n, (i) => inferGather(batched, i))];
    for (let i = 0; i < n; i++) {
      expect(gotPredict[i]!.status).toBe(i === BAD ? 400 : 200);
      expect(stable(gotPredict[i]!.json)).toEqual(stable(wantPredict[i]!.json));
      expect(gotV2[i]!.status).toBe(i === BAD ? 400 : 200);
      expect(gotV2[i]!.json).toEqual(wantV2[i]!.json);
    }
    expect(gotPredict[BAD]!.json).toMatchObject({ error_code: 'INDEX_OUT_OF_RANGE', detail: expect.stringContaining('holds the index 7') });
    expect(gotV2[BAD]!.json.error).toContain('holds the index 7');
    expect(gotPredict[0]!.json.outputs.rows.data).toEqual([0, 1, 4, 5]);
    // The failed run counts against its model once per protocol, batched or not.
    for (const svc of [plain, batched]) {
      expect((await call(svc, 'GET', '/metrics')).text).toMatch(/^prediction_failures_total\{model="gather"\} 2$/m);
    }
  });

  it('holds a lone request for max_queue_delay_ms, and no longer', async () => {
    const res = await call(batched, 'POST', '/predict', predictDigits(1));
    expect(res.json.latency_ms).toBeGreaterThanOrEqual(DELAY_MS - 2);
    expect(res.json.latency_ms).toBeLessThan(DELAY_MS + 100);
    expect(res.json.inference_ms).toBeLessThan(DELAY_MS);
  });

  it('exports both histograms per model, which promtool accepts', async () => {
    const queue = await histogram(batched, 'inference_queue_duration_seconds', 'digits');
    expect(queue.count).toBe(2 * REQUESTS + 1);
    expect(queue.sum).toBeGreaterThan(0);
    const text = (await call(batched, 'GET', '/metrics')).text;
    expect(text).toMatch(/^inference_batch_size_bucket\{le="8",model="gather"\} \d+/m);
    execFileSync('promtool', ['check', 'metrics'], { input: text });
  });
});
