import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../demo-models/seeded-random';
import { encodeBytesElements } from '../tensors/binary';
import { MAX_ELEMENTS } from '../tensors/shapes';
import { sendFuzz, type FuzzAnswer, type FuzzRequest } from '../testing/fuzz-batches';
import { writeModel } from '../testing/small-models';
import { call, startTestService, type TestService } from '../testing/test-service';
import { identityModel } from '../testing/type-models';
import { binaryOutputs, protocolExampleModel, v2Post } from '../testing/v2-client';
import { HEADER_LENGTH } from './binary-body';

/**
 * Fuzz-style robustness of the Open Inference Protocol's /infer: 1,200 malformed requests, most of
 * them binary bodies (seeded, so a failure reproduces), in both content types, against digits
 * (FP32 [?, 1, 28, 28]), the protocol's example model (UINT32 [2, 2] and BOOL [3]) and a BYTES
 * identity. Every one must get a 4xx with the protocol's `{"error"}` body and nothing else, and
 * the service must stay healthy and keep answering good requests.
 */

const REQUESTS = 1200;
const PIXELS = 784;
const IMAGE_BYTES = PIXELS * 4;
const BODY_LIMIT = 256 * 1024;
const CONTENT_TYPES = ['application/octet-stream', 'application/json', 'application/json; charset=utf-8'];

const image = (fields: Record<string, unknown>) => ({ name: 'image', shape: [1, 1, 28, 28], datatype: 'FP32', ...fields });
/** digits' input as binary data of `size` bytes, its output asked for as binary data. */
const binaryImage = (size: unknown = IMAGE_BYTES, fields: Record<string, unknown> = {}) => ({
  inputs: [image({ parameters: { binary_data_size: size }, ...fields })],
  outputs: [{ name: 'probabilities', parameters: { binary_data: true } }],
});
const example = (size0: number, size1: number) => ({
  inputs: [
    { name: 'input0', shape: [2, 2], datatype: 'UINT32', parameters: { binary_data_size: size0 } },
    { name: 'input1', shape: [3], datatype: 'BOOL', parameters: { binary_data_size: size1 } },
  ],
});
const strings = (shape: number[], size: number) => ({ inputs: [{ name: 'x', shape, datatype: 'BYTES', parameters: { binary_data_size: size } }] });
const lengthPrefix = (n: number) => {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32LE(n);
  return bytes;
};

interface V2Body {
  /** The inference header: bytes and text go as they are (JSON no serializer writes), the rest as JSON. */
  header: unknown;
  tensors?: Buffer[];
  model?: string;
  /** Inference-Header-Content-Length; by default the header's length when tensors follow, else none. */
  length?: string;
  contentType?: string;
}

function v2FuzzCases(random: () => number): (() => FuzzRequest)[] {
  const int = (n: number) => Math.floor(random() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  const junk = (n: number) => Buffer.from(Array.from({ length: n }, () => int(256)));
  const weird = () => pick(['', '..', 'é', '😀', '<script>', 'null', '-1', 'constructor', '__proto__', String(random())]);
  const pixels = (values = Float32Array.from({ length: PIXELS }, random)) => Buffer.from(values.buffer);
  const infer = ({ header, tensors = [], model = 'digits', length, contentType = pick(CONTENT_TYPES) }: V2Body): FuzzRequest => {
    const json = Buffer.isBuffer(header) ? header : Buffer.from(typeof header === 'string' ? header : JSON.stringify(header));
    const headerLength = length ?? (tensors.length > 0 ? String(json.length) : undefined);
    return {
      method: 'POST',
      path: `/v2/models/${model}/infer`,
      body: Buffer.concat([json, ...tensors]),
      headers: { 'content-type': contentType, ...(headerLength === undefined ? {} : { [HEADER_LENGTH]: headerLength }) },
    };
  };
  const zeros = (n = PIXELS) => new Array<number>(n).fill(0);
  const nested = (depth: number) => {
    let value: unknown = [0];
    for (let i = 0; i < depth; i++) value = [value];
    return value;
  };
  const garbage = (): unknown =>
    pick([
      () => nested(33 + int(500)),
      () => [zeros(28), zeros(27)],
      () => pick([[null], [{}], ['0'], [true], [[[]]], [1e39], [[1, 2], {}], 'x', 1, {}, null]),
      () => zeros(PIXELS + pick([-1, 1]) * (1 + int(20))),
      () => zeros().map((v, i, all) => (i === all.length >> 1 ? pick([null, '1', [1], {}, false, 1e39, -1e300]) : v)),
    ])();
  const hugeShape = (): unknown[] =>
    pick([
      () => [2 ** 53 - 1, 1, 28, 28],
      () => [2 ** 26, 2 ** 26, 2 ** 26, 2 ** 26],
      () => new Array(32).fill(2 ** 52), // the product is Infinity
      () => [2 ** 40 + int(1e6), 0, 28, 28], // the product is 0; dim 1 is still wrong
      () => [Math.floor(MAX_ELEMENTS / PIXELS) + 1 + int(100), 1, 28, 28],
      () => new Array(33 + int(200)).fill(1),
      () => pick([[2 ** 64, 1, 28, 28], [1e300, 1, 28, 28], [-1, 1, 28, 28], [1.5, 1, 28, 28], ['1', 1, 28, 28]]),
    ])();

  return [
    // Headers cut short: by Inference-Header-Content-Length, or by the end of the body.
    () => {
      const json = JSON.stringify(binaryImage());
      return infer({ header: json, tensors: [pixels()], length: String(int(json.length)) });
    },
    () => {
      const json = JSON.stringify({ inputs: [image({ data: zeros() })] });
      return infer({ header: json.slice(0, int(json.length)) });
    },
    // Inference-Header-Content-Length beyond the body, negative, not a whole number, or zero.
    () => infer({ header: binaryImage(), tensors: [pixels()], length: pick([String(4000 + int(1e9)), '9'.repeat(16 + int(300))]) }),
    () => infer({ header: binaryImage(), tensors: [pixels()], length: pick(['-1', '-0', '0', '00', '', 'ten', '1e3', '0x10', '12.5', '+12', 'NaN', 'Infinity', '12, 12']) }),
    // binary_data_size beyond the bytes left, not a size, or bytes no input accounts for.
    () => infer({ header: binaryImage(IMAGE_BYTES + 1 + int(4096)), tensors: [pixels()] }),
    () => infer({ header: binaryImage(pick([-1, 1.5, String(IMAGE_BYTES), true, 2 ** 53, null])), tensors: [pixels()] }),
    () => infer({ header: binaryImage(), tensors: [pixels(), junk(1 + int(64))] }),
    () => infer({ header: { inputs: [image({ data: zeros() })] }, tensors: [junk(1 + int(64))] }),
    () => infer({ model: 'mymodel', header: example(16, 3 + 1 + int(8)), tensors: [junk(16), Buffer.from([1, 0, 1])] }),
    // Sizes wrong for the datatype: FP32 not 4 bytes a value, UINT32 or BOOL short or long.
    () => {
      const size = pick([0, 1, 3, IMAGE_BYTES - 1 - int(3), IMAGE_BYTES + 1 + int(3), IMAGE_BYTES * 2]);
      return infer({ header: binaryImage(size), tensors: [junk(size)] });
    },
    () => {
      const [size0, size1] = pick([[15, 3], [17, 3], [16, 2], [16, 4], [0, 0], [19, 0]] as const);
      return infer({ model: 'mymodel', header: example(size0, size1), tensors: [junk(size0), Buffer.alloc(size1, 1)] });
    },
    // The right sizes holding values the type cannot take: NaN or infinite floats, bool bytes past 1.
    () => {
      const values = Float32Array.from({ length: PIXELS }, random);
      values[int(PIXELS)] = pick([NaN, Infinity, -Infinity]);
      return infer({ header: binaryImage(), tensors: [pixels(values)] });
    },
    () => infer({ model: 'mymodel', header: example(16, 3), tensors: [junk(16), Buffer.from([1, 2 + int(254), 0])] }),
    // BYTES elements whose 4-byte length runs past the data, cut short, too few or too many, not UTF-8.
    () => {
      const count = 1 + int(4);
      const whole = encodeBytesElements(Array.from({ length: count }, () => junk(int(12)).toString('hex')));
      const tail = junk(int(8));
      const [bytes, shape] = pick<() => [Buffer, number]>([
        () => [Buffer.concat([whole, lengthPrefix(tail.length + 1 + int(2 ** 32 - tail.length - 1)), tail]), count + 1],
        () => [whole.subarray(0, whole.length - 1 - int(4)), count],
        () => [whole, count + 1 + int(3)],
        () => [Buffer.concat([whole, junk(1 + int(8))]), count],
        () => [Buffer.concat([whole, lengthPrefix(1), Buffer.from([pick([0xff, 0xc0, 0x00])])]), count + 1],
      ])();
      return infer({ model: 'identity-string', header: strings([shape], bytes.length), tensors: [bytes] });
    },
    () => infer({ model: 'identity-string', header: strings([pick([MAX_ELEMENTS, 2 ** 31, 2 ** 53 - 1])], 8), tensors: [Buffer.concat([lengthPrefix(4), Buffer.from('abcd')])] }),
    // Shapes whose element count overflows, or is past the rank limit, or is not a shape.
    () => infer({ header: binaryImage(IMAGE_BYTES, { shape: hugeShape() }), tensors: [pixels()] }),
    () => infer({ header: `{"inputs":[{"name":"image","datatype":"FP32","shape":[${pick(['1e400', '-0.5', '1,1,28', '"1"'])},1,28,28],"data":[]}]}` }),
    // Nested garbage in data, or data beside binary data, or neither.
    () => infer({ header: { inputs: [image({ data: garbage() })] } }),
    () => infer({ header: binaryImage(IMAGE_BYTES, pick([{ data: zeros() }, { parameters: {} }, { parameters: { binary_data_size: { size: IMAGE_BYTES } } }])), tensors: [pixels()] }),
    // Datatypes the model's inputs are not, or no datatype at all.
    () => infer({ header: binaryImage(IMAGE_BYTES, { datatype: pick(['FP16', 'FP64', 'INT32', 'UINT8', 'BYTES', 'BOOL', 'fp32', 'FLOAT', 'TYPE_FP32', '', 32, null, ['FP32']]) }), tensors: [pixels()] }),
    () => infer({ model: 'mymodel', header: { inputs: [{ name: 'input0', shape: [2, 2], datatype: pick(['INT32', 'UINT64', 'FP32']), data: [1, 2, 3, 4] }, { name: 'input1', shape: [3], datatype: 'BOOL', data: [1, 0, 1] }] } }),
    // Unknown models: names no model has, percent-escapes that decode to nothing, names past the router's limit.
    () => infer({ model: pick([() => `${encodeURIComponent(weird())}x`, () => pick(['Digits', 'digits.onnx', '%', '%zz', '%E0%A4%A', '%C0%80']), () => 'm'.repeat(201 + int(300))])(), header: binaryImage(), tensors: [pixels()] }),
    // Unknown inputs and outputs, an input twice, an input missing.
    () => infer({ header: { inputs: [image({ name: weird(), data: zeros() })] } }),
    () => infer({ header: { ...binaryImage(), outputs: [{ name: pick(['constructor', 'probability', 'image', '']) }] }, tensors: [pixels()] }),
    () => infer({ header: { inputs: [image({ data: zeros() }), image({ data: zeros() })] } }),
    () => infer({ model: 'mymodel', header: { inputs: [example(16, 3).inputs[pick([0, 1])]] }, tensors: [junk(16)] }),
    // Headers that are not an inference request: other JSON, junk bytes, fields of the wrong kind.
    () => infer({ header: pick(['null', '[]', '"x"', '1', 'true', '{}', '{"inputs":{}}', '{"inputs":[null]}', '{"inputs":[]}', junk(1 + int(200))]) }),
    () => infer({ header: { ...binaryImage(), ...pick([{ id: 5 }, { parameters: { binary_data_output: { on: true } } }, { outputs: 'probabilities' }, { inputs: {} }]) }, tensors: [pixels()] }),
    // Bodies of another content type, or over the body limit.
    () => infer({ header: binaryImage(), tensors: [pixels()], contentType: pick(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'image/png']) }),
    () => infer({ header: binaryImage(BODY_LIMIT), tensors: [junk(BODY_LIMIT)] }),
  ];
}

/** The protocol's error body, and nothing else. */
const protocolError = (res: FuzzAnswer) => res.headers.get('content-type')?.startsWith('application/json') === true && JSON.stringify(Object.keys(res.json ?? {})) === '["error"]' && typeof res.json.error === 'string';

describe('fuzz: malformed Open Inference Protocol requests', () => {
  let svc: TestService;
  const load = async (path: string) => expect((await call(svc, 'POST', '/models/load', { path })).status).toBe(201);
  beforeAll(async () => {
    svc = await startTestService({ bodyLimit: BODY_LIMIT });
    await writeModel(svc.modelsDir, 'mymodel.onnx', protocolExampleModel());
    await writeModel(svc.modelsDir, 'identity-string.onnx', identityModel('string'));
    for (const path of ['digits.onnx', 'mymodel.onnx', 'identity-string.onnx']) await load(path);
  });
  afterAll(() => svc?.stop());

  it(`answers ${REQUESTS} malformed /infer requests with 4xx and {"error"}, and stays healthy`, async () => {
    const { failures, statuses } = await sendFuzz(svc, v2FuzzCases(seededRandom(2424)), REQUESTS, protocolError);
    expect(failures.slice(0, 5)).toEqual([]);
    // Each refusal the cases aim at was reached: bad requests, unknown models, long names, other media, the body limit.
    expect([...statuses.keys()].sort()).toEqual([400, 404, 413, 414, 415]);

    const health = await call(svc, 'GET', '/health');
    expect(health.status).toBe(200);
    expect(health.json.status).toBe('healthy');
    const digits = await v2Post(`${svc.url}/v2/models/digits/infer`, binaryImage(), [Buffer.alloc(IMAGE_BYTES)]);
    expect(digits.status, JSON.stringify(digits.json)).toBe(200);
    expect(binaryOutputs(digits).probabilities!.length).toBe(40);
    const words = encodeBytesElements(['a', 'é']);
    const echo = await v2Post(`${svc.url}/v2/models/identity-string/infer`, strings([2], words.length), [words]);
    expect(echo.json.outputs[0].data).toEqual(['a', 'é']);
  });
});
