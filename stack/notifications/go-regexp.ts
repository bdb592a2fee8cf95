import { ConsoleError } from '../console-error';

/**
 * A regex of Go's RE2 syntax, as Alertmanager compiles a matcher's (`^(?:re)$`), as a JavaScript
 * RegExp that matches the same strings. The common syntax is the same; where Go's differs it is
 * rewritten: `.` also matches `\r`, `\s` is ASCII white space without `\v`, `\A`, `\z`, `\Q…\E`,
 * `\x{…}`, `\p{Greek}`, `[[:alpha:]]`, `(?P<name>…)`, a `]` first in a class, and leading flags
 * (`(?i)`, `(?s)`, `(?m)`).
 * What JavaScript cannot express (flags in mid-pattern, `(?U)`) is refused, never guessed.
 */

const GO_SPACE = '\\t\\n\\f\\r ';
const POSIX_CLASSES: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: '\\t ',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

const unsupported = (source: string, what: string) =>
  new ConsoleError('ROUTE_REGEX_UNSUPPORTED', `The regex "${source}" uses ${what}, which the routing preview cannot reproduce.`, 422);

const escapeLiteral = (text: string) => text.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');

/** The JavaScript source of a Go pattern, and the flags its leading `(?flags)` groups set. */
function translate(source: string): { body: string; flags: string } {
  let flags = '';
  let i = 0;
  for (let lead = /^\(\?([a-zA-Z]+)\)/.exec(source); lead; lead = /^\(\?([a-zA-Z]+)\)/.exec(source.slice(i))) {
    for (const f of lead[1]!) {
      if (!'ims'.includes(f)) throw unsupported(source, `the flag (?${f})`);
      if (!flags.includes(f)) flags += f;
    }
    i += lead[0].length;
  }
  let body = '';
  let inClass = false;
  while (i < source.length) {
    const c = source[i]!;
    if (c === '\\') {
      const next = source[i + 1];
      if (next === undefined) throw new ConsoleError('ROUTE_REGEX_INVALID', `The regex "${source}" ends with a lone backslash.`, 422);
      if (next === 'Q') {
        const end = source.indexOf('\\E', i + 2);
        body += escapeLiteral(source.slice(i + 2, end < 0 ? undefined : end));
        i = end < 0 ? source.length : end + 2;
        continue;
      }
      const unicode = /^\\([pP])(?:\{(\^?)(\w+)\}|([A-Z]))/.exec(source.slice(i));
      if (unicode) {
        // Go's `\pL`, `\p{Greek}`, `\p{^L}`: JavaScript names a script `Script=Greek`.
        const [all, p, negated, long, short] = unicode as unknown as [string, string, string | undefined, string | undefined, string | undefined];
        const name = short ?? long!;
        body += `\\${negated ? (p === 'p' ? 'P' : 'p') : p}{${name.length <= 2 ? name : `Script=${name}`}}`;
        i += all.length;
        continue;
      }
      const hex = /^\\x\{([0-9a-fA-F]+)\}/.exec(source.slice(i));
      if (hex) {
        body += `\\u{${hex[1]}}`;
        i += hex[0].length;
        continue;
      }
      if (next === 's') body += inClass ? GO_SPACE : `[${GO_SPACE}]`;
      else if (next === 'S' && !inClass) body += `[^${GO_SPACE}]`;
      else if (next === 'A' && !inClass) body += '(?<![\\s\\S])';
      else if (next === 'z' && !inClass) body += '(?![\\s\\S])';
      else body += c + next;
      i += 2;
      continue;
    }
    if (inClass) {
      const posix = /^\[:(\^?)([a-z]+):\]/.exec(source.slice(i));
      if (posix) {
        const range = POSIX_CLASSES[posix[2]!];
        if (!range || posix[1]) throw unsupported(source, `the class ${posix[0]}`);
        body += range;
        i += posix[0].length;
        continue;
      }
      if (c === ']') inClass = false;
      body += c === '[' ? '\\[' : c;
      i += 1;
      continue;
    }
    if (c === '[') {
      // In Go a `]` right after `[` or `[^` is a literal, not the end of an empty class.
      const open = /^\[\^?\]?/.exec(source.slice(i))![0];
      body += open.endsWith(']') ? `${open.slice(0, -1)}\\]` : open;
      i += open.length;
      inClass = true;
      continue;
    }
    if (source.startsWith('(?P<', i)) {
      body += '(?<';
      i += 4;
      continue;
    }
    if (/^\(\?[a-zA-Z-]+[:)]/.test(source.slice(i))) throw unsupported(source, 'flags inside the pattern');
    body += c === '.' && !flags.includes('s') ? '[^\\n]' : c;
    i += 1;
  }
  return { body, flags };
}

/** Compiles like Alertmanager (fully anchored); a regex it cannot take is a ConsoleError naming it. */
export function goRegexp(source: string): RegExp {
  const { body, flags } = translate(source);
  // Text anchors that a leading (?m) cannot turn into line anchors, as in Go where it sets the group's flags only.
  const anchored = `(?<![\\s\\S])(?:${body})(?![\\s\\S])`;
  try {
    // The `u` flag matches by code point, as Go matches by rune; it refuses some escapes Go allows.
    return new RegExp(anchored, `${flags}u`);
  } catch {
    try {
      return new RegExp(anchored, flags);
    } catch (err) {
      throw new ConsoleError('ROUTE_REGEX_INVALID', `The regex "${source}" is not valid: ${(err as Error).message}`, 422);
    }
  }
}
