import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from './demo-models/seeded-random';
import { sendFuzz, type FuzzRequest } from './testing/fuzz-batches';
import { call, startTestService, type TestService } from './testing/test-service';

/**
 * Fuzz-style robustness: 1,200 malformed requests (seeded, so a failure reproduces), sent over
 * loopback to the real service in bounded batches. Every one must get a 4xx JSON error, and
 * the service must stay healthy and keep answering good requests.
 */

const REQUESTS = 1200;

function fuzzCases(random: () => number): (() => FuzzRequest)[] {
  const int = (n: number) => Math.floor(random() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  const junk = (n: number) => Buffer.from(Array.from({ length: n }, () => int(256)));
  const weird = () => pick(['', ' ', '..', '%00', '%2e%2e%2f', 'é', '😀', 'a'.repeat(300), '<script>', 'null', '-1', String(random())]);
  const junkValue = (): unknown => pick([null, true, 42, -1e308, 'x', {}, [], [null], { dims: 'x' }, [[1], [1, 2]]]);
  const predict = (inputs: unknown, extra: Record<string, unknown> = {}) => ({ method: 'POST', path: '/predict', body: { model_name: 'digits', inputs, ...extra } });
  const badDims = () => {
    const rank = pick([0, 1, 2, 3, 5, 6, 4]);
    const dims = Array.from({ length: rank }, () => int(40));
    if (rank === 4) dims[2] = 27;
    return dims;
  };
  return [
    () => predict({ image: { dims: badDims(), data: Array.from({ length: int(900) }, () => random()) } }),
    () => predict({ image: { dims: [1, 1, 28, 28], data: Array.from({ length: 784 + 1 + int(50) }, () => random()) } }),
    () => {
      const at = int(784);
      const notANumber = pick([null, true, 'x', '1', {}, [], [1], 1e39, -1e300]);
      return predict({ image: { dims: [1, 1, 28, 28], data: Array.from({ length: 784 }, (_, i) => (i === at ? notANumber : 0)) } });
    },
    () => predict({ image: junk(1 + int(400)).toString('base64') }),
    () => predict({ image: weird() }),
    () => predict({ [weird() || 'x']: { dims: [1], data: [1] } }),
    () => predict(junkValue()),
    () => predict({ image: { dims: [1, 1, 28, 28], data: zerosOf(784) } }, { top_k: pick([0, -1, 101, 1.5, 'x', null]) }),
    () => predict({ image: { dims: [1, 1, 28, 28], data: zerosOf(784) } }, { [weird() || 'y']: 1 }),
    () => {
      let nested: unknown = [1];
      for (let i = 0, depth = 9 + int(400); i < depth; i++) nested = [nested];
      return predict(nested);
    },
    () => ({ method: 'POST', path: '/predict', body: { model_name: weird() || 'nope', inputs: { image: { dims: [1], data: [0] } } } }),
    () => ({ method: 'POST', path: '/predict', body: junk(1 + int(300)), headers: { 'content-type': 'application/json' } }),
    () => ({ method: 'POST', path: `/predict?model_name=digits`, body: junk(1 + int(2000)), headers: { 'content-type': pick(['image/png', 'image/jpeg']) } }),
    () => ({ method: 'POST', path: '/predict', body: 'x'.repeat(int(100)), headers: { 'content-type': pick(['text/plain', 'text/xml', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded']) } }),
    () => ({ method: 'POST', path: '/models/load', body: { path: pick(['../digits.onnx', '/etc/passwd', '/etc/shadow.onnx', '../../../../etc/x.onnx', 'digits.onnx\0.onnx', weird(), 'missing.onnx', 'sub/../../digits.onnx']) } }),
    () => ({ method: 'POST', path: '/models/load', body: { path: 'digits.onnx', model_name: pick(['', '../x', 'a b', '-x', weird() + '/']) } }),
    () => ({ method: 'POST', path: '/models/load', body: { path: 'digits.onnx', device: pick(['gpu', 'cuda', 'rocm', 1, null]) } }),
    () => ({ method: 'POST', path: '/models/load', body: junkValue() ?? {} }),
    () => ({ method: pick(['GET', 'DELETE']), path: `/models/${encodeURIComponent(weird() || 'none')}x` }),
    () => ({ method: pick(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']), path: `/${pick(['nope', 'admin', '.env', 'models/digits/extra', 'predict/x', '%2e%2e/etc/passwd'])}` }),
    () => ({ method: pick(['PUT', 'PATCH']), path: pick(['/predict', '/models', '/health', '/models/digits']) }),
  ];
}

function zerosOf(n: number): number[] {
  return new Array<number>(n).fill(0);
}

describe('fuzz: malformed requests', () => {
  let svc: TestService;
  beforeAll(async () => {
    svc = await startTestService({ bodyLimit: 256 * 1024 });
    expect((await call(svc, 'POST', '/models/load', { path: 'digits.onnx' })).status).toBe(201);
  });
  afterAll(() => svc?.stop());

  it(`answers ${REQUESTS} malformed requests with 4xx JSON and stays healthy`, async () => {
    const seedError = (res: { json: any }) => typeof res.json?.detail === 'string' && typeof res.json?.error_code === 'string';
    const { failures } = await sendFuzz(svc, fuzzCases(seededRandom(4242)), REQUESTS, seedError);
    expect(failures.slice(0, 5)).toEqual([]);
    const health = await call(svc, 'GET', '/health');
    expect(health.status).toBe(200);
    expect(health.json.status).toBe('healthy');
    const good = await call(svc, 'POST', '/predict', { model_name: 'digits', inputs: { image: { dims: [1, 1, 28, 28], data: zerosOf(784) } } });
    expect(good.status).toBe(200);
  });
});
