import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

/**
 * A small builder for ONNX graphs of float tensors, written with the ONNX protobuf schema
 * (onnx-proto). Enough for the demo models: initializers, nodes with int/ints/float attributes,
 * and inputs/outputs with symbolic batch dimensions. Output bytes depend only on the input, so
 * the demo models rebuild byte for byte.
 */

export type Dim = number | string;
export type Attribute = number | number[] | { float: number };

export interface GraphNode {
  op: string;
  inputs: string[];
  output: string;
  attributes?: Record<string, Attribute>;
}

export interface GraphSpec {
  name: string;
  docString: string;
  inputs: { name: string; shape: Dim[] }[];
  outputs: { name: string; shape: Dim[] }[];
  initializers: { name: string; dims: number[]; values: Float32Array }[];
  nodes: GraphNode[];
}

const OPSET = 13;
const IR_VERSION = 8;

function valueInfo(name: string, shape: Dim[]) {
  return {
    name,
    type: {
      tensorType: {
        elemType: onnx.TensorProto.DataType.FLOAT,
        shape: { dim: shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
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
    input: spec.inputs.map((i) => valueInfo(i.name, i.shape)),
    output: spec.outputs.map((o) => valueInfo(o.name, o.shape)),
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
