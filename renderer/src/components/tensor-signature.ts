import { shapeText, type TensorInfo } from '../../../electron/api/inference-contract';

/** `image float32 [batch, 1, 28, 28]`: a dynamic dim by the model's name for it, or `?`. */
export const tensorSignature = (t: TensorInfo) => `${t.name} ${t.type} ${shapeText(t.shape, t.dim_names)}`;

/** A model's inputs and outputs on one line, as the Predictions page shows them. */
export const modelSignature = (m: { inputs: TensorInfo[]; outputs: TensorInfo[] }) =>
  `${m.inputs.map(tensorSignature).join(', ')} → ${m.outputs.map(tensorSignature).join(', ')}`;
