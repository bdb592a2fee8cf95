import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDigits } from './demo-models/mnist-digits';
import { digitImage } from './testing/digit-images';
import { call, startTestService, type TestService } from './testing/test-service';

const zeros = (n: number) => new Array<number>(n).fill(0);
const digitTensor = (data = zeros(784)) => ({ model_name: 'digits', inputs: { image: { dims: [1, 1, 28, 28], data } } });
const convnetInput = (batch: number) => ({ model_name: 'latency-convnet', inputs: { input: { dims: [batch, 3, 224, 224], data: zeros(batch * 3 * 224 * 224) } } });

function expectError(res: { status: number; json: any }, status: number, code?: string) {
  expect(res.status).toBe(status);
  expect(res.json).toMatchObject({ detail: expect.any(String), error_code: code ?? expect.any(String), timestamp: expect.any(String) });
}

describe('inference service over HTTP', () => {
  let svc: TestService;
  const { test: heldOut } = loadDigits();

  beforeAll(async () => {
    svc = await startTestService({ bodyLimit: 2 * 2 ** 20 });
    expect((await call(svc, 'POST', '/models/load', { path: 'digits.onnx' })).status).toBe(201);
  });
  afterAll(() => svc?.stop());

  it('answers service info, health and an OpenAPI document with the seed paths', async () => {
    expect((await call(svc, 'GET', '/')).json).toMatchObject({ docs: '/openapi.json' });
    const health = await call(svc, 'GET', '/health');
    expect(health.status).toBe(200);
    expect(health.json).toMatchObject({ status: 'healthy', models_loaded: 1, providers: { order: ['cpu'] }, models: [{ name: 'digits', provider: 'cpu' }] });
    expect(health.json.memory.used_mb).toBeGreaterThan(0);
    const doc = (await call(svc, 'GET', '/openapi.json')).json;
    expect(doc.openapi).toMatch(/^3\./);
    for (const path of ['/health', '/models', '/models/{name}', '/models/load', '/predict', '/model-files']) expect(doc.paths).toHaveProperty([path]);
    expect(doc.paths['/models/{name}']).toHaveProperty('delete');
  });

  it('lists loadable files and loaded models, one model by name, 404 for an unknown one', async () => {
    const files = (await call(svc, 'GET', '/model-files')).json;
    expect(files.files.map((f: any) => [f.path, f.loaded])).toEqual([['digits.onnx', true], ['latency-convnet.onnx', false]]);
    const list = (await call(svc, 'GET', '/models')).json;
    expect(list.total).toBe(1);
    expect(list.models[0]).toMatchObject({ name: 'digits', framework: 'onnx', device: 'cpu', input_shapes: { image: [-1, 1, 28, 28] }, labels: expect.any(Array) });
    expect((await call(svc, 'GET', '/models/digits')).json.name).toBe('digits');
    expectError(await call(svc, 'GET', '/models/nope'), 404, 'MODEL_NOT_FOUND');
    expectError(await call(svc, 'DELETE', '/models/nope'), 404, 'MODEL_NOT_FOUND');
  });

  it('classifies held-out handwritten digits sent as PNG in JSON, as raw PNG and as JPEG bytes', async () => {
    const samples = heldOut.filter((_, i) => i % 200 === 7).slice(0, 10);
    let right = 0;
    for (const [i, sample] of samples.entries()) {
      const format = i % 3 === 2 ? 'jpeg' : 'png';
      const image = await digitImage(sample, format);
      const res =
        i % 3 === 0
          ? await call(svc, 'POST', '/predict', { model_name: 'digits', inputs: { image: image.toString('base64') }, top_k: 3 })
          : await call(svc, 'POST', '/predict?model_name=digits&top_k=3', image, { 'content-type': `image/${format}` });
      expect(res.status).toBe(200);
      expect(res.json.provider).toBe('cpu');
      expect(res.json.latency_ms).toBeGreaterThan(0);
      expect(res.json.predictions[0]).toHaveLength(3);
      if (res.json.predictions[0][0].label === String(sample.label)) right++;
    }
    expect(right).toBeGreaterThanOrEqual(8);
  });

  it('takes a tensor as raw little-endian bytes with its shape in the query, and answers as for JSON', async () => {
    const sample = heldOut[3]!;
    const bytes = Buffer.from(new Float32Array(sample.pixels).buffer);
    const octet = { 'content-type': 'application/octet-stream' };
    const raw = await call(svc, 'POST', '/predict?model_name=digits&dims=1,1,28,28', bytes, octet);
    expect(raw.status).toBe(200);
    const json = await call(svc, 'POST', '/predict', digitTensor(Array.from(sample.pixels)));
    expect(raw.json.outputs).toEqual(json.json.outputs);
    expect(raw.json.predictions[0][0].label).toBe(String(sample.label));

    expectError(await call(svc, 'POST', '/predict?model_name=digits', bytes, octet), 400, 'INVALID_INPUT');
    expectError(await call(svc, 'POST', '/predict?model_name=digits&dims=1,1,28,28', bytes.subarray(4), octet), 400);
    expectError(await call(svc, 'POST', '/predict?model_name=digits&dims=1,28,28', bytes, octet), 400);
    expectError(await call(svc, 'POST', '/predict?model_name=digits&dims=1;1', bytes, octet), 400);
    expectError(await call(svc, 'POST', '/predict?model_name=digits&dims=1,1,28,28&input=nope', bytes, octet), 400);
    const nan = Buffer.from(new Float32Array(784).fill(Number.NaN).buffer);
    expectError(await call(svc, 'POST', '/predict?model_name=digits&dims=1,1,28,28', nan, octet), 400);
    expectError(await call(svc, 'POST', '/predict?dims=1,1,28,28', bytes, octet), 400, 'INVALID_REQUEST');
  });

  it('answers raw tensors for a model without labels', async () => {
    expect((await call(svc, 'POST', '/models/load', { path: 'latency-convnet.onnx' })).status).toBe(201);
    const res = await call(svc, 'POST', '/predict', { ...convnetInput(2), return_metadata: true });
    expect(res.status).toBe(200);
    expect(res.json.predictions).toBeUndefined();
    expect(res.json.outputs.output.dims).toEqual([2, 10]);
    expect(res.json.outputs.output.data).toHaveLength(20);
    expect(res.json.metadata.inputs.input.dims).toEqual([2, 3, 224, 224]);
    expect((await call(svc, 'DELETE', '/models/latency-convnet')).json).toEqual({ model_name: 'latency-convnet', unloaded: true });
  });

  it('answers every bad prediction input with a 4xx JSON error', async () => {
    expectError(await call(svc, 'POST', '/predict', { ...digitTensor(), model_name: 'nope' }), 404, 'MODEL_NOT_FOUND');
    expectError(await call(svc, 'POST', '/predict', { model_name: 'digits', inputs: { image: { dims: [1, 784], data: zeros(784) } } }), 400, 'INVALID_INPUT');
    expectError(await call(svc, 'POST', '/predict', { model_name: 'digits', inputs: { image: { dims: [1, 1, 28, 28], data: zeros(10) } } }), 400, 'INVALID_INPUT');
    expectError(await call(svc, 'POST', '/predict', digitTensor(Array(784).fill('x'))), 400, 'INVALID_INPUT');
    expectError(await call(svc, 'POST', '/predict', { model_name: 'digits', inputs: { image: { dims: [1, 1, 28, 28], data: zeros(784), type: 'int64' } } }), 400, 'INVALID_INPUT');
    expectError(await call(svc, 'POST', '/predict', { model_name: 'digits', inputs: { pixels: { dims: [1], data: [0] } } }), 400, 'INVALID_INPUT');
    expectError(await call(svc, 'POST', '/predict', { model_name: 'digits', inputs: {} }), 400, 'INVALID_INPUT');
    expectError(await call(svc, 'POST', '/predict', { model_name: 'digits', inputs: { image: 'not base64 at all!' } }), 400, 'INVALID_INPUT');
    expectError(await call(svc, 'POST', '/predict', { model_name: 'digits', inputs: { image: Buffer.from('GIF89a garbage').toString('base64') } }), 400, 'INVALID_IMAGE');
    const gif = await sharp({ create: { width: 4, height: 4, channels: 3, background: 'white' } }).gif().toBuffer();
    expectError(await call(svc, 'POST', '/predict', { model_name: 'digits', inputs: { image: gif.toString('base64') } }), 415, 'UNSUPPORTED_IMAGE');
    const png = await digitImage(heldOut[0]!);
    expectError(await call(svc, 'POST', '/predict?model_name=digits', png.subarray(0, png.length / 2), { 'content-type': 'image/png' }), 400, 'INVALID_IMAGE');
    expectError(await call(svc, 'POST', '/predict', png, { 'content-type': 'image/png' }), 400, 'INVALID_REQUEST');
    expectError(await call(svc, 'POST', '/predict', '{"model_name":', { 'content-type': 'application/json' }), 400, 'INVALID_JSON');
    expectError(await call(svc, 'POST', '/predict', 'hello', { 'content-type': 'text/plain' }), 415, 'UNSUPPORTED_MEDIA_TYPE');
    expectError(await call(svc, 'POST', '/predict', { ...digitTensor(), surprise: true }), 400, 'INVALID_REQUEST');
    expectError(await call(svc, 'POST', '/predict', { model_name: 'digits', inputs: { image: 'A'.repeat(3 * 2 ** 20) } }), 413, 'BODY_TOO_LARGE');
    expectError(await call(svc, 'GET', '/no/such/route'), 404, 'NOT_FOUND');
  });

  it('loads only files inside the models directory', async () => {
    const outside = await mkdtemp(join(tmpdir(), 'rx580-outside-'));
    try {
      await writeFile(join(outside, 'evil.onnx'), await readFile(join(svc.modelsDir, 'digits.onnx')));
      await symlink(join(outside, 'evil.onnx'), join(svc.modelsDir, 'link-out.onnx'));
      expectError(await call(svc, 'POST', '/models/load', { path: '../' + outside.split('/').pop() + '/evil.onnx' }), 403, 'MODEL_PATH_OUTSIDE');
      expectError(await call(svc, 'POST', '/models/load', { path: join(outside, 'evil.onnx') }), 403, 'MODEL_PATH_OUTSIDE');
      expectError(await call(svc, 'POST', '/models/load', { path: 'link-out.onnx' }), 403, 'MODEL_PATH_OUTSIDE');
      expectError(await call(svc, 'POST', '/models/load', { path: '/etc/passwd' }), 400, 'INVALID_MODEL_PATH');
      expectError(await call(svc, 'POST', '/models/load', { path: 'missing.onnx' }), 404, 'MODEL_FILE_NOT_FOUND');
      // An absolute path inside the directory is fine.
      const ok = await call(svc, 'POST', '/models/load', { path: join(svc.modelsDir, 'digits.onnx'), model_name: 'digits-abs' });
      expect(ok.status).toBe(201);
      expect((await call(svc, 'DELETE', '/models/digits-abs')).status).toBe(200);
    } finally {
      await rm(join(svc.modelsDir, 'link-out.onnx'), { force: true });
      await rm(outside, { recursive: true, force: true });
    }
  });

  it('refuses a corrupt model file and a bad sidecar, and counts the failures', async () => {
    const failedBefore = metricValue(await call(svc, 'GET', '/metrics'), 'models_loaded_total{status="failed"}');
    await writeFile(join(svc.modelsDir, 'corrupt.onnx'), Buffer.from('this is not a protobuf model'));
    expectError(await call(svc, 'POST', '/models/load', { path: 'corrupt.onnx' }), 422, 'INVALID_MODEL');
    await writeFile(join(svc.modelsDir, 'sidecar.onnx'), await readFile(join(svc.modelsDir, 'digits.onnx')));
    await writeFile(join(svc.modelsDir, 'sidecar.json'), JSON.stringify({ image: { width: -1 } }));
    expectError(await call(svc, 'POST', '/models/load', { path: 'sidecar.onnx' }), 422, 'INVALID_SIDECAR');
    expect(metricValue(await call(svc, 'GET', '/metrics'), 'models_loaded_total{status="failed"}')).toBe(failedBefore + 2);
    expect((await call(svc, 'GET', '/health')).json.status).toBe('healthy');
  });

  it('lets one of two concurrent loads of the same model win and answers the other 409', async () => {
    const [a, b] = await Promise.all([
      call(svc, 'POST', '/models/load', { path: 'latency-convnet.onnx', model_name: 'twice' }),
      call(svc, 'POST', '/models/load', { path: 'latency-convnet.onnx', model_name: 'twice' }),
    ]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    expect([a, b].find((r) => r.status === 409)!.json.error_code).toBe('MODEL_LOAD_IN_PROGRESS');
    expectError(await call(svc, 'POST', '/models/load', { path: 'latency-convnet.onnx', model_name: 'twice' }), 409, 'MODEL_ALREADY_LOADED');
    expect((await call(svc, 'DELETE', '/models/twice')).status).toBe(200);
  });

  it('lets in-flight predictions finish when their model is unloaded', async () => {
    expect((await call(svc, 'POST', '/models/load', { path: 'latency-convnet.onnx', model_name: 'busy' })).status).toBe(201);
    const body = { ...convnetInput(4), model_name: 'busy' };
    const inFlight = Array.from({ length: 6 }, () => call(svc, 'POST', '/predict', body));
    await new Promise((r) => setTimeout(r, 30));
    const unload = call(svc, 'DELETE', '/models/busy');
    const results = await Promise.all(inFlight);
    // Each either ran to the end or arrived after the unload began: never a 5xx.
    for (const r of results) expect([200, 404]).toContain(r.status);
    expect(results.some((r) => r.status === 200)).toBe(true);
    expect((await unload).status).toBe(200);
    expectError(await call(svc, 'POST', '/predict', body), 404, 'MODEL_NOT_FOUND');
  });

  it('labels request metrics with route templates and passes promtool check metrics', async () => {
    await call(svc, 'GET', '/models/digits');
    await call(svc, 'GET', '/models/whatever-else');
    await call(svc, 'GET', '/random/path/1');
    const res = await call(svc, 'GET', '/metrics');
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(res.text).toContain('api_requests_total{endpoint="/models/{name}",method="GET",status="200"}');
    expect(res.text).toContain('api_requests_total{endpoint="/models/{name}",method="GET",status="404"}');
    expect(res.text).toContain('api_requests_total{endpoint="unmatched",method="GET",status="404"}');
    expect(res.text).not.toContain('whatever-else');
    expect(res.text).toMatch(/^predictions_total\{model="digits"\} \d+/m);
    expect(res.text).toMatch(/^inference_duration_seconds_bucket\{le="0.005",model="digits"\} \d+/m);
    expect(res.text).toMatch(/^active_connections \d+/m);
    expect(res.text).toMatch(/^memory_usage_bytes \d+/m);
    // No AMD card on this machine: no GPU sample at all, not a zero.
    expect(res.text).not.toMatch(/^gpu_memory_usage_bytes/m);
    execFileSync('promtool', ['check', 'metrics'], { input: res.text });
  });

  it('exports the process start time, in Unix seconds with sub-second precision, for restart alerts', async () => {
    const start = metricValue(await call(svc, 'GET', '/metrics'), 'process_start_time_seconds');
    // The service runs in this test's process: its start is this process's.
    expect(Math.abs(start - (Date.now() / 1000 - process.uptime()))).toBeLessThan(1);
    expect(start).toBeLessThanOrEqual(Date.now() / 1000);
    expect(Number.isInteger(start)).toBe(false);
  });
});

describe('execution providers', () => {
  it('falls back from webgpu to cpu without a GPU adapter, and health says why', async () => {
    const svc = await startTestService({ providers: ['webgpu', 'cpu'] });
    try {
      const load = await call(svc, 'POST', '/models/load', { path: 'digits.onnx' });
      expect(load.status).toBe(201);
      expect(load.json.provider).toBe('cpu');
      expect(load.json.refused_providers).toEqual([{ provider: 'webgpu', reason: expect.stringMatching(/adapter/i) }]);
      expect(load.json.note).toMatch(/^Running on cpu: webgpu was refused \(WebGPU found no GPU adapter/);
      const health = (await call(svc, 'GET', '/health')).json;
      expect(health.status).toBe('healthy');
      expect(health.models[0]).toMatchObject({ name: 'digits', provider: 'cpu', refused_providers: [{ provider: 'webgpu' }] });
      expect(health.providers.refused[0]).toMatchObject({ provider: 'webgpu', reason: expect.stringMatching(/adapter/i) });
      const predict = await call(svc, 'POST', '/predict', digitTensor());
      expect(predict.json.provider).toBe('cpu');
      // A load that asks for cpu does not try the GPU.
      expect((await call(svc, 'POST', '/models/load', { path: 'digits.onnx', model_name: 'd2', device: 'cpu' })).json.refused_providers).toEqual([]);
    } finally {
      await svc.stop();
    }
  });
});

describe('concurrency limit', () => {
  it('answers 503 with Retry-After beyond the limit instead of queueing, and recovers', async () => {
    const svc = await startTestService({ maxConcurrent: 1 });
    try {
      expect((await call(svc, 'POST', '/models/load', { path: 'latency-convnet.onnx' })).status).toBe(201);
      const results = await Promise.all(Array.from({ length: 12 }, () => call(svc, 'POST', '/predict', convnetInput(4))));
      const rejected = results.filter((r) => r.status === 503);
      expect(rejected.length).toBeGreaterThan(0);
      expect(rejected[0]!.headers.get('retry-after')).toBe('1');
      expect(rejected[0]!.json.error_code).toBe('TOO_MANY_REQUESTS');
      expect(results.filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(1);
      expect((await call(svc, 'POST', '/predict', convnetInput(1))).status).toBe(200);
    } finally {
      await svc.stop();
    }
    // Twelve bodies of about 11 MB of JSON each: seconds alone, far longer on a loaded machine.
  }, 120_000);
});

function metricValue(res: { text: string }, series: string): number {
  const line = res.text.split('\n').find((l) => l.startsWith(series + ' '));
  return line ? Number(line.split(' ')[1]) : 0;
}
