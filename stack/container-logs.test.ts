import { describe, expect, it } from 'vitest';
import { lineSplitter } from './container-logs';

describe('lineSplitter', () => {
  it('emits complete lines only, keeping a partial line until its newline or the flush', () => {
    const got: string[][] = [];
    const s = lineSplitter((lines) => got.push(lines));
    s.push('a\nb');
    s.push('c\r\nd\n');
    s.push('tail');
    expect(got).toEqual([['a'], ['bc', 'd']]);
    s.flush();
    s.flush();
    expect(got).toEqual([['a'], ['bc', 'd'], ['tail']]);
  });
});
