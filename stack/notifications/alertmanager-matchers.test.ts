import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { Amtool } from '../testing/amtool';
import { compileMatcher, matchersOf, parseMatcherLine } from './alertmanager-matchers';
import { goRegexp } from './go-regexp';
import { previewRoute } from './route-preview';

const m = (name: string, value: string, isRegex = false, isEqual = true) => ({ name, value, isRegex, isEqual });

describe('parseMatcherLine', () => {
  it.each([
    ['severity="critical"', [m('severity', 'critical')]],
    ['severity = critical', [m('severity', 'critical')]],
    ['{a="1", b!~"x|y", }', [m('a', '1'), m('b', 'x|y', true, false)]],
    ['msg="say \\"hi, there\\"", c!=d', [m('msg', 'say "hi, there"'), m('c', 'd', false, false)]],
    ['path=~"/v1/\\d+"', [m('path', '/v1/\\d+', true)]],
    ['x=a b', [m('x', 'a b')]],
    ['x=""', [m('x', '')]],
    ['x="line\\nbreak\\\\"', [m('x', 'line\nbreak\\')]],
    ['ns:name=v', [m('ns:name', 'v')]],
  ])('%s', (line, expected) => {
    expect(parseMatcherLine(line, 'here')).toEqual(expected);
  });

  it.each([
    ['a="1",,b="2"', /"" is not a matcher/],
    ['1a="x"', /not a matcher/],
    ['a=b"c', /unescaped double quote/],
    ['a="open', /no closing double quote/],
  ])('refuses %s, saying where', (line, message) => {
    expect(() => parseMatcherLine(line, 'route 3')).toThrow(message);
    expect(() => parseMatcherLine(line, 'route 3')).toThrow(/^route 3: /);
  });

  it('reads the old match and match_re maps beside matchers, and an absent label as empty', () => {
    const ms = matchersOf({ match: { a: 1 }, match_re: { b: 'x.*' }, matchers: ['c!="z"'] }, '', 'r');
    expect(ms.map(({ test, ...plain }) => plain)).toEqual([m('a', '1'), m('b', 'x.*', true), m('c', 'z', false, false)]);
    expect(compileMatcher(m('c', 'z', false, false)).test({})).toBe(true);
    expect(compileMatcher(m('c', '', false)).test({})).toBe(true);
    expect(compileMatcher(m('constructor', '')).test({})).toBe(true);
    expect(() => matchersOf({ match: { 'bad-name': 'x' } }, '', 'r')).toThrow(/invalid entry "bad-name"/);
    expect(() => matchersOf({ matchers: 'a=1' }, '', 'r')).toThrow(/list of strings/);
  });
});

describe('goRegexp', () => {
  it('refuses, by name, what JavaScript cannot reproduce, and reports invalid regexes', () => {
    expect(() => goRegexp('(?U)a+')).toThrow(/the flag \(\?U\)/);
    expect(() => goRegexp('a(?i)b')).toThrow(/flags inside the pattern/);
    expect(() => goRegexp('[[:^alpha:]]')).toThrow(/the class/);
    expect(() => goRegexp('a\\')).toThrow(/lone backslash/);
    expect(() => goRegexp('(')).toThrow(/is not valid/);
  });
});

describe('matcher lines agree with amtool', () => {
  let amtool: Amtool;
  beforeAll(async () => {
    amtool = await Amtool.start();
  });
  afterAll(() => amtool?.close());

  it('for quoting, escapes, braces, unquoted values and trailing commas', async () => {
    const lines = ['msg="say \\"hi, there\\""', '{a="1", b!~"x|y", }', 'x=a b', 'path=~"/v1/\\d+"', 'n="line\\nbreak"', 'e=""', 'q=~".*\\\\.*"'];
    const routes = lines.map((line, i) => ({ receiver: `m${i}`, matchers: [line], continue: true }));
    const config = { route: { receiver: 'none', routes }, receivers: [{ name: 'none' }, ...lines.map((_, i) => ({ name: `m${i}` }))] };
    const file = await amtool.write(stringify(config));
    const sets: Record<string, string>[] = [
      { msg: 'say "hi, there"' },
      { a: '1', b: 'z' },
      { a: '1', b: 'x' },
      { x: 'a b' },
      { path: '/v1/42' },
      { n: 'line\nbreak' },
      { e: 'set' },
      { q: 'a\\b' },
      { q: 'ab', msg: 'x' },
    ];
    for (const labels of sets) expect(previewRoute(config, labels).routes.map((r) => r.receiver), JSON.stringify(labels)).toEqual(await amtool.routes(file, labels));
  });
});
