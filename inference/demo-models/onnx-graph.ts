import onnxProto from 'onnx-proto';
import { ELEMENT_TYPES, type ElementType } from '../tensors/element-types';

const { onnx } = onnxProto;

/**
 * A small builder for ONNX graphs, written with the ONNX protobuf schema
 * (onnx-proto). Enough for the demo models and the tests' small models: float initializers, nodes
 * with int/ints/float attributes, and inputs/outputs of any element type with symbolic or unnamed
 * dynamic dimensions. Output bytes depend only on the input, so the demo models rebuild byte for byte.
 */

/** A size, a symbolic name (`batch`), or null for a dynamic dimension the model leaves unnamed. */
export type Dim = number | string | null;
export type Attribute = number | number[] | { float: number };

export interface ValueSpec {
  name: string;
  shape: Dim[];
  /** float32 when left out. */
  type?: ElementType;
}

export interface GraphNode {
  op: string;
  inputs: string[];
  output: string;
  attributes?: Record<string, Attribute>;
}

export interface GraphSpec {
  name: string;
  docString: string;
  inputs: ValueSpec[];
  outputs: ValueSpec[];
  initializers: { name: string; dims: number[]; values: Float32Array }[];
  nodes: GraphNode[];
}

const OPSET = 13;
const IR_VERSION = 8;

function valueInfo({ name, shape, type = 'float32' }: ValueSpec) {
  return {
    name,
    type: {
      tensorType: {
        elemType: ELEMENT_TYPES[type].onnx,
        shape: { dim: shape.map((d) => (d === null ? {} : typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

function attribute(name: string, value: Attribute) {
  const T = onnx.AttributeProto.AttributeType;
  if (Array.isArray(value)) return { name, type: T.INTS, ints: value };
  if (typeof value === 'number') return { name, type: T.INT, i: value };
  return { name, type: T.FLOAT, f: value.float };
}

export function encodeModel(spec: GraphSpec): Uint8Array {
  const graph = {
    name: spec.name,
    docString: spec.docString,
    input: spec.inputs.map(valueInfo),
    output: spec.outputs.map(valueInfo),
    initializer: spec.initializers.map((t) => ({
      name: t.name,
      dims: t.dims,
      dataType: onnx.TensorProto.DataType.FLOAT,
      // Little-endian raw bytes, as ONNX specifies for raw_data.
      rawData: new Uint8Array(t.values.buffer, t.values.byteOffset, t.values.byteLength),
    })),
    node: spec.nodes.map((n, i) => ({
      name: `${n.op.toLowerCase()}_${i}`,
      opType: n.op,
      input: n.inputs,
      output: [n.output],
      attribute: Object.entries(n.attributes ?? {}).map(([k, v]) => attribute(k, v)),
    })),
  };
  return onnx.ModelProto.encode({
    irVersion: IR_VERSION,
    opsetImport: [{ domain: '', version: OPSET }],
    producerName: 'rx580-ops build-demo-models',
    producerVersion: '1',
    graph,
  }).finish();
}
