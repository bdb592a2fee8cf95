import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeModel } from '../demo-models/onnx-graph';
import type { ModelSidecarInput } from '../model-sidecar';

/**
 * Tiny ONNX models for tests, each made to show one thing: how dynamic dims are reported, or how
 * onnxruntime fails a run (shape, type, broadcast, index), or a file of a chosen size.
 */

const doc = 'rx580-ops test model';

/** x: [unnamed, p2o.DynamicDimension.0, 3] through Relu: dynamic dims with and without a name. */
export const dynamicDimsModel = () =>
  encodeModel({
    name: 'dynamic-dims',
    docString: doc,
    inputs: [{ name: 'x', shape: [null, 'p2o.DynamicDimension.0', 3] }],
    outputs: [{ name: 'y', shape: [null, 'p2o.DynamicDimension.0', 3] }],
    initializers: [],
    nodes: [{ op: 'Relu', inputs: ['x'], output: 'y' }],
  });

/** a: [n] + b: [n]: both named n, which onnxruntime does not hold them to, so 7 and 8 fail in Add. */
export const addPairModel = () =>
  encodeModel({
    name: 'add-pair',
    docString: doc,
    inputs: [
      { name: 'a', shape: ['n'] },
      { name: 'b', shape: ['n'] },
    ],
    outputs: [{ name: 'sum', shape: ['n'] }],
    initializers: [],
    nodes: [{ op: 'Add', inputs: ['a', 'b'], output: 'sum' }],
  });

/** Rows of a 5x2 table picked by int64 indices: an index outside -5..4 fails in Gather. */
export const gatherModel = () =>
  encodeModel({
    name: 'gather',
    docString: doc,
    inputs: [{ name: 'idx', shape: ['k'], type: 'int64' }],
    outputs: [{ name: 'rows', shape: ['k', 2] }],
    initializers: [{ name: 'table', dims: [5, 2], values: Float32Array.from({ length: 10 }, (_, i) => i) }],
    nodes: [{ op: 'Gather', inputs: ['table', 'idx'], output: 'rows' }],
  });

/** x: [n, 3] through Relu: a fixed dim to send the wrong size for. */
export const reluModel = () =>
  encodeModel({
    name: 'relu',
    docString: doc,
    inputs: [{ name: 'x', shape: ['n', 3] }],
    outputs: [{ name: 'y', shape: ['n', 3] }],
    initializers: [],
    nodes: [{ op: 'Relu', inputs: ['x'], output: 'y' }],
  });

/** x: [count] + weights of `count` floats: a file of about 4 x count bytes. */
export const weightsModel = (count: number) =>
  encodeModel({
    name: 'weights',
    docString: doc,
    inputs: [{ name: 'x', shape: [count] }],
    outputs: [{ name: 'y', shape: [count] }],
    initializers: [{ name: 'w', dims: [count], values: new Float32Array(count) }],
    nodes: [{ op: 'Add', inputs: ['x', 'w'], output: 'y' }],
  });

/** Writes `file` (and its sidecar, when given) into a models directory. */
export async function writeModel(dir: string, file: string, onnx: Uint8Array, sidecar?: ModelSidecarInput | Record<string, unknown>): Promise<void> {
  await writeFile(join(dir, file), onnx);
  if (sidecar) await writeFile(join(dir, file.replace(/\.onnx$/, '.json')), JSON.stringify(sidecar));
}
