import { describe, expect, it } from 'vitest';
import { InferenceHeaders } from './inference-header';

const header = (name: string, extra = '') => `{"inputs":[{"name":"${name}","shape":[1],"datatype":"FP32","parameters":{"binary_data_size":4}}]${extra}}`;

describe('InferenceHeaders', () => {
  it('parses a header once per distinct text and hands out the same request after', () => {
    const headers = new InferenceHeaders();
    const first = headers.parse(header('x'));
    expect(first.inputs).toEqual([{ name: 'x', shape: [1], datatype: 'FP32', parameters: { binary_data_size: 4 } }]);
    expect(headers.parse(header('x'))).toBe(first);
    expect(headers.parse(header('y'))).not.toBe(first);
  });

  it('refuses a bad header every time it comes, with what is wrong', () => {
    const headers = new InferenceHeaders();
    for (let i = 0; i < 2; i++) {
      expect(() => headers.parse('{"inputs":[]}')).toThrow(/^The inference request is invalid: inputs: Too small/);
      expect(() => headers.parse('{"inputs":')).toThrow(/^The inference header is not valid JSON/);
    }
  });

  it('keeps 128 headers, dropping the oldest, and none with inline data past 2 KiB', () => {
    const headers = new InferenceHeaders();
    const first = headers.parse(header('h0'));
    for (let i = 1; i < 128; i++) headers.parse(header(`h${i}`));
    expect(headers.parse(header('h0'))).toBe(first);
    headers.parse(header('h128'));
    expect(headers.parse(header('h0'))).not.toBe(first);
    const long = `{"inputs":[{"name":"x","shape":[600],"datatype":"FP32","data":[${new Array(600).fill(0.5).join(',')}]}]}`;
    expect(headers.parse(long)).not.toBe(headers.parse(long));
  });
});
