import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadtestSpecSchema, type LoadtestSpecInput } from '../../api/schemas/loadtest';
import { buildRequest } from './request-body';
import { digits, modelInfo } from './testing/loadtest-fixtures';
import { HEADER_LENGTH } from '../../../inference/v2/binary-body';

const pair = modelInfo('pair', [
  { name: 'ids', type: 'int64', shape: [-1, 3], dim_names: ['batch', null] },
  { name: 'text', type: 'string', shape: [2], dim_names: [null] },
]);
const spec = (extra: Partial<LoadtestSpecInput>) => loadtestSpecSchema.parse({ model: 'digits', mode: 'closed', concurrency: [1], duration: 1, ...extra });
const fields = (p: Promise<unknown>) =>
  p.then(
    () => [],
    (e: { status: number; issues: { path: string }[] }) => (e.status === 400 ? e.issues.map((i) => i.path) : [String(e)]),
  );

describe('load test request bodies', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rx580-lt-body-'));
    await writeFile(join(dir, 'seven.json'), JSON.stringify({ inputs: { image: { dims: [1, 1, 28, 28], data: new Array(784).fill(0.5) } } }));
    await writeFile(join(dir, 'notes.txt'), 'hello');
    await symlink('/etc/hostname', join(dir, 'escape.png'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("sends an image model's sample as a demo picture of its size over JSON", async () => {
    const req = await buildRequest(spec({}), digits, dir);
    expect(req.path).toBe('/predict');
    const body = JSON.parse(req.body.toString());
    expect(body.model_name).toBe('digits');
    expect(await sharp(Buffer.from(body.inputs.image, 'base64')).metadata()).toMatchObject({ format: 'png', width: 28, height: 28 });
  });

  it('sends zeros of the input shapes, dynamic dims as 1, as JSON and as v2 binary tensors', async () => {
    const json = JSON.parse((await buildRequest(spec({ model: 'pair' }), pair, dir)).body.toString());
    expect(json.inputs).toEqual({ ids: { dims: [1, 3], data: [0, 0, 0], type: 'int64' }, text: { dims: [2], data: ['', ''], type: 'string' } });

    const v2 = await buildRequest(spec({ model: 'pair', protocol: 'v2' }), pair, dir);
    expect(v2.path).toBe('/v2/models/pair/infer');
    const headerLength = Number(v2.headers[HEADER_LENGTH]);
    const header = JSON.parse(v2.body.subarray(0, headerLength).toString());
    expect(header).toEqual({
      inputs: [
        { name: 'ids', shape: [1, 3], datatype: 'INT64', parameters: { binary_data_size: 24 } },
        // Strings have no fixed size: they go as JSON values in the header.
        { name: 'text', shape: [2], datatype: 'BYTES', data: ['', ''] },
      ],
      parameters: { binary_data_output: true },
    });
    expect(v2.body.length - headerLength).toBe(24);
  });

  it('sends given tensors, as binary little-endian values on v2', async () => {
    const given = spec({ protocol: 'v2', input: { kind: 'tensor', inputs: { image: { dims: [1, 1, 28, 28], data: new Array(784).fill(1) } } } });
    const req = await buildRequest(given, digits, dir);
    const length = Number(req.headers[HEADER_LENGTH]);
    expect(req.body.readFloatLE(length)).toBe(1);
    expect(req.body.length - length).toBe(784 * 4);
  });

  it('reads JSON tensors from a file in the models folder', async () => {
    const req = await buildRequest(spec({ input: { kind: 'file', path: 'seven.json' } }), digits, dir);
    expect(JSON.parse(req.body.toString()).inputs.image.data[0]).toBe(0.5);
  });

  it('refuses bad inputs with the field named', async () => {
    const tensor = (inputs: Record<string, unknown>) => spec({ input: { kind: 'tensor', inputs } as never });
    expect(await fields(buildRequest(tensor({ pixels: { dims: [1], data: [0] } }), digits, dir))).toEqual(['input.inputs', 'input.inputs.pixels']);
    expect(await fields(buildRequest(tensor({ image: { dims: [1, 2], data: [0] } }), digits, dir))).toEqual(['input.inputs.image.data']);
    expect(await fields(buildRequest(spec({ model: 'pair', protocol: 'v2', input: { kind: 'tensor', inputs: { ids: { dims: [1, 3], data: [1, 2.5, 3] }, text: { dims: [2], data: ['a', 'b'] } } } }), pair, dir))).toEqual(['input.inputs']);
    const file = (path: string, protocol: 'json' | 'v2' = 'json') => buildRequest(spec({ protocol, input: { kind: 'file', path } }), digits, dir);
    expect(await fields(file('../../etc/passwd'))).toEqual(['input.path']);
    expect(await fields(file('escape.png'))).toEqual(['input.path']);
    expect(await fields(file('missing.png'))).toEqual(['input.path']);
    expect(await fields(file('notes.txt'))).toEqual(['input.path']);
    await writeFile(join(dir, 'photo.png'), await sharp({ create: { width: 4, height: 4, channels: 3, background: '#000' } }).png().toBuffer());
    expect(await fields(file('photo.png', 'v2'))).toEqual(['protocol']);
  });
});
