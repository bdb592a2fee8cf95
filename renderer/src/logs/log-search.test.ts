import { describe, expect, it } from 'vitest';
import { appendCapped, filterLines, highlightParts } from './log-search';

describe('log search', () => {
  const lines = ['level=info msg="Server is ready"', 'level=warn msg="Slow scrape"', 'level=INFO msg="Reload"'];

  it('filters case-insensitively, everything for an empty term', () => {
    expect(filterLines(lines, 'info')).toEqual([lines[0], lines[2]]);
    expect(filterLines(lines, '  ')).toEqual(lines);
    expect(filterLines(lines, 'nothing')).toEqual([]);
  });

  it('splits a line around every match, keeping the original case', () => {
    expect(highlightParts('Info and INFO', 'info')).toEqual([
      { text: 'Info', match: true },
      { text: ' and ', match: false },
      { text: 'INFO', match: true },
    ]);
    expect(highlightParts('abc', '')).toEqual([{ text: 'abc', match: false }]);
    expect(highlightParts('aaa', 'a').map((p) => p.text)).toEqual(['a', 'a', 'a']);
  });

  it('keeps only the newest lines past the cap', () => {
    expect(appendCapped(['1', '2'], ['3'], 5)).toEqual(['1', '2', '3']);
    expect(appendCapped(['1', '2', '3'], ['4', '5', '6'], 4)).toEqual(['3', '4', '5', '6']);
  });
});
