import { encodeModel, type GraphNode, type ValueSpec } from '../demo-models/onnx-graph';
import { ELEMENT_TYPE_NAMES, ELEMENT_TYPES, type ElementType } from '../tensors/element-types';
import { call, startTestService, type TestService } from './test-service';
import { dynamicDimsModel, writeModel } from './small-models';

/**
 * Small ONNX models for the tensor layer's tests, built with the repo's own graph builder: an
 * Identity per element type, a scalar input, a stateful model shaped like a streaming audio one,
 * named and unnamed dynamic dims, and onnxruntime's own float32 -> float16 rounding.
 */

const graph = (name: string, inputs: ValueSpec[], outputs: ValueSpec[], nodes: GraphNode[]) =>
  encodeModel({ name, docString: 'rx580-ops tensor-type test model', inputs, outputs, initializers: [], nodes });

export const identityModelName = (type: ElementType) => `identity-${type}`;

/** x: [n] of `type` through Identity, so y holds exactly what onnxruntime was fed. */
export const identityModel = (type: ElementType) =>
  graph(identityModelName(type), [{ name: 'x', shape: ['n'], type }], [{ name: 'y', shape: ['n'], type }], [{ op: 'Identity', inputs: ['x'], output: 'y' }]);

/** x: a float32 scalar (rank 0); y = x + x. */
export const scalarModel = () => graph('scalar', [{ name: 'x', shape: [] }], [{ name: 'y', shape: [] }], [{ op: 'Add', inputs: ['x', 'x'], output: 'y' }]);

/**
 * Like a streaming audio model (Silero VAD's `sr` and `state`): an int64 scalar sample rate and a
 * float32 state [2, 1, ?] that comes back updated (stateN = state + sr), with the rate echoed.
 */
export const statefulModel = () =>
  graph(
    'stateful',
    [
      { name: 'sr', shape: [], type: 'int64' },
      { name: 'state', shape: [2, 1, null] },
    ],
    [
      { name: 'stateN', shape: [2, 1, null] },
      { name: 'rate', shape: [], type: 'int64' },
    ],
    [
      { op: 'Cast', inputs: ['sr'], output: 'srf', attributes: { to: ELEMENT_TYPES.float32.onnx } },
      { op: 'Add', inputs: ['state', 'srf'], output: 'stateN' },
      { op: 'Identity', inputs: ['sr'], output: 'rate' },
    ],
  );

/** float32 [n] cast to float16 by onnxruntime: the reference the service's float16 rounding is held to. */
export const castFloat16Model = () =>
  graph('cast-float16', [{ name: 'x', shape: ['n'] }], [{ name: 'y', shape: ['n'], type: 'float16' }], [{ op: 'Cast', inputs: ['x'], output: 'y', attributes: { to: ELEMENT_TYPES.float16.onnx } }]);

/** Every test model by its file name; dynamic-dims has x: [?, p2o.DynamicDimension.0, 3]. */
export function typeModels(): Record<string, Uint8Array> {
  return {
    ...Object.fromEntries(ELEMENT_TYPE_NAMES.map((t) => [`${identityModelName(t)}.onnx`, identityModel(t)])),
    'scalar.onnx': scalarModel(),
    'stateful.onnx': statefulModel(),
    'dynamic-dims.onnx': dynamicDimsModel(),
    'cast-float16.onnx': castFloat16Model(),
  };
}

/** The real service over a temporary models folder holding the demo models and these, every one of these loaded. */
export async function startTypeModelService(): Promise<TestService> {
  const svc = await startTestService();
  for (const [file, onnx] of Object.entries(typeModels())) {
    await writeModel(svc.modelsDir, file, onnx);
    const load = await call(svc, 'POST', '/models/load', { path: file });
    if (load.status !== 201) throw new Error(`${file} did not load: ${load.text}`);
  }
  return svc;
}
