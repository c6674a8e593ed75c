/**
 * JSON parsing with a line:column for syntax errors. V8's messages changed across Node versions
 * and some carry no position at all, so on failure a small scanner finds the first bad character.
 */

export interface JsonSyntaxError {
  /** 1-based. */
  line: number;
  column: number;
  /** What the grammar wanted there, e.g. `',' or '}'`. */
  expected: string;
  /** The character found there, as JSON, or `end of file`. */
  found: string;
}

class Stop {
  constructor(readonly offset: number, readonly expected: string) {}
}

/** Offset and expectation of the first syntax error in `s` (RFC 8259), or undefined if none. */
export function findSyntaxError(s: string): Stop | undefined {
  let i = 0;
  const ws = () => {
    while (i < s.length && ' \t\n\r'.includes(s[i])) i++;
  };
  const fail = (expected: string): never => {
    throw new Stop(i, expected);
  };
  const string = () => {
    i++;
    while (i < s.length && s[i] !== '"') {
      if (s[i] < ' ') fail('a closing quote before the line ends');
      if (s[i] !== '\\') i++;
      else if (s[i + 1] === 'u' && /^[0-9a-fA-F]{4}$/.test(s.slice(i + 2, i + 6))) i += 6;
      else if (s[i + 1] !== undefined && '"\\/bfnrt'.includes(s[i + 1])) i += 2;
      else (i++, fail('an escape such as \\n, \\" or \\u00e9'));
    }
    if (i >= s.length) fail('a closing quote');
    i++;
  };
  const value = (): void => {
    ws();
    const c = s[i];
    if (c === '{') return seq('}', () => {
      ws();
      if (s[i] !== '"') fail('a property name in double quotes');
      string();
      ws();
      if (s[i] !== ':') fail("':'");
      i++;
      value();
    });
    if (c === '[') return seq(']', value);
    if (c === '"') return string();
    const num = /-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
    num.lastIndex = i;
    if (num.test(s)) return void (i = num.lastIndex);
    const lit = ['true', 'false', 'null'].find((l) => s.startsWith(l, i));
    if (lit) return void (i += lit.length);
    fail('a value');
  };
  // Comma-separated items between an opening bracket at s[i] and `close`.
  const seq = (close: string, item: () => void) => {
    i++;
    ws();
    if (s[i] === close) return void i++;
    for (;;) {
      item();
      ws();
      if (s[i] === close) return void i++;
      if (s[i] !== ',') fail(`',' or '${close}'`);
      i++;
    }
  };
  try {
    value();
    ws();
    if (i < s.length) fail('end of file');
    return undefined;
  } catch (e) {
    if (e instanceof Stop) return e;
    throw e;
  }
}

function lineColumn(s: string, offset: number): { line: number; column: number } {
  const before = s.slice(0, offset).split(/\r\n|\n|\r/);
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

/** Parses JSON text (a leading BOM is ignored); on failure says where and what was expected. */
export function parseJson(text: string): { value: unknown } | { error: JsonSyntaxError } {
  const s = text.replace(/^\uFEFF/, '');
  try {
    return { value: JSON.parse(s) };
  } catch (e) {
    const stop = findSyntaxError(s) ?? new Stop(s.length, `valid JSON (${(e as Error).message})`);
    const found = stop.offset >= s.length ? 'end of file' : JSON.stringify(s[stop.offset]);
    return { error: { ...lineColumn(s, stop.offset), expected: stop.expected, found } };
  }
}
