import { describe, expect, it } from 'vitest';
import { outputDims, valuesText, valueText } from './output-text';

describe('output text', () => {
  it('writes floats to 6 significant digits, integers exactly, strings quoted', () => {
    expect(valueText('float32', 0.30000001192092896)).toBe('0.3');
    expect(valueText('float32', 16000.5)).toBe('16000.5');
    expect(valueText('float64', 1.5e-12)).toBe('1.5e-12');
    expect(valueText('int64', 16000)).toBe('16000');
    expect(valueText('int64', '9223372036854775807')).toBe('9223372036854775807');
    expect(valueText('string', 'a b')).toBe('"a b"');
    expect(valueText('bool', true)).toBe('true');
  });

  it('cuts long outputs short with a count', () => {
    expect(valuesText({ type: 'int32', data: [1, 2, 3] })).toBe('1, 2, 3');
    const long = valuesText({ type: 'int32', data: Array.from({ length: 784 }, (_, i) => i) });
    expect(long).toBe('0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, … (784 values)');
  });

  it('names rank 0 a scalar', () => {
    expect(outputDims([])).toBe('scalar');
    expect(outputDims([2, 1, 2])).toBe('[2, 1, 2]');
  });
});
