import type * as ort from 'onnxruntime-node';
import { DYNAMIC_DIM, shapeText, type tensorInfoSchema } from './api-types';
import type { z } from 'zod';

/** A model input or output: its sizes with -1 for dynamic dims, and the model's names for those. */
export interface TensorInfo {
  name: string;
  type: string;
  shape: number[];
  /** Per dim, the model's symbolic name of a dynamic dim (`batch`), else null. */
  dimNames: (string | null)[];
}

/**
 * onnxruntime gives a dynamic dim as its symbolic name (`batch`, `p2o.DynamicDimension.0`), or as
 * "" where the model names none; either is -1 here, the name kept beside the shape.
 */
export function tensorInfo(meta: readonly ort.InferenceSession.ValueMetadata[]): TensorInfo[] {
  return meta.map((m) => {
    if (!m.isTensor) return { name: m.name, type: 'non-tensor', shape: [], dimNames: [] };
    const fixed = (d: number | string): d is number => typeof d === 'number' && Number.isInteger(d) && d >= 0;
    return {
      name: m.name,
      type: m.type,
      shape: m.shape.map((d) => (fixed(d) ? d : DYNAMIC_DIM)),
      dimNames: m.shape.map((d) => (typeof d === 'string' && d !== '' ? d : null)),
    };
  });
}

export function tensorInfoJson(t: TensorInfo): z.output<typeof tensorInfoSchema> {
  return { name: t.name, type: t.type, shape: t.shape, dim_names: t.dimNames };
}

/** `[batch, 1, 28, 28]`, for sentences about a model's tensors. */
export const describeShape = (t: TensorInfo): string => shapeText(t.shape, t.dimNames);
