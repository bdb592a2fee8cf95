import { describe, expect, it } from 'vitest';
import { modelSignature, tensorSignature } from './tensor-signature';

describe('tensor signatures', () => {
  it('show a dynamic dim by its name, or ? where the model names none', () => {
    expect(tensorSignature({ name: 'image', type: 'float32', shape: [-1, 1, 28, 28], dim_names: ['batch', null, null, null] })).toBe('image float32 [batch, 1, 28, 28]');
    expect(tensorSignature({ name: 'x', type: 'float32', shape: [-1, 3, -1, -1], dim_names: [null, null, 'p2o.DynamicDimension.0', null] })).toBe('x float32 [?, 3, p2o.DynamicDimension.0, ?]');
  });

  it('put inputs before outputs', () => {
    const model = {
      inputs: [{ name: 'idx', type: 'int64', shape: [-1], dim_names: ['k'] }],
      outputs: [{ name: 'rows', type: 'float32', shape: [-1, 2], dim_names: ['k', null] }],
    };
    expect(modelSignature(model)).toBe('idx int64 [k] → rows float32 [k, 2]');
  });
});
