/**
 * JSON parsing for specs and `--set` values (RFC 8259), stricter than JSON.parse where a spec needs it:
 * a duplicate property or a number that overflows to Infinity is a problem at its path (JSON.parse
 * silently keeps the last duplicate and turns 1e309 into Infinity), and nesting deeper than
 * MAX_DEPTH stops the parse with the path where it happened. The parser is iterative, so no input can
 * overflow the stack, here or in anything that walks the value afterwards.
 */
import type { PathKey } from './paths';
import { LIMITS } from './limits';

/** Containers nested deeper than this are refused; a spec needs about 8. */
const MAX_DEPTH = LIMITS.depth;

export interface JsonSyntaxError {
  /** `syntax`: not JSON (always at the root); `depth`: nested deeper than MAX_DEPTH at `path`. */
  kind: 'syntax' | 'depth';
  path: PathKey[];
  /** 1-based. */
  line: number;
  column: number;
  /** What the grammar wanted there, e.g. `',' or '}'`. */
  expected: string;
  /** The character found there, as JSON, or `end of file`. */
  found: string;
}

/** Valid JSON that a spec must not hold: a duplicate property, a number beyond the doubles. */
export interface JsonProblem {
  path: PathKey[];
  line: number;
  column: number;
  expected: string;
  found: string;
}

export type ParsedJson = { value: unknown; problems: JsonProblem[] } | { error: JsonSyntaxError };

class Stop {
  constructor(readonly offset: number, readonly expected: string, readonly kind: 'syntax' | 'depth' = 'syntax') {}
}

/** Line and column (1-based) of offsets, from line starts found once. */
function positions(s: string): (offset: number) => { line: number; column: number } {
  const starts = [0];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 10 || (c === 13 && s.charCodeAt(i + 1) !== 10)) starts.push(i + 1);
  }
  return (offset) => {
    let [lo, hi] = [0, starts.length - 1];
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - starts[lo] + 1 };
  };
}

type Frame =
  | { array: unknown[] }
  | { object: Record<string, unknown>; key: string; seen: Map<string, number> };

/** What a number that overflows should be; structure.ts says the same of values that hold Infinity. */
export const FINITE = 'a finite number (beyond about ±1.8e308 a number overflows to Infinity)';

const NUMBER = /-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
const STRING_RUN = /[^"\\\u0000-\u001f]*/y;

/** Sets a property; `__proto__` becomes an own property, as JSON.parse makes it, not the prototype. */
export function put(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
  else obj[key] = value;
}

/** Parses JSON text (a leading BOM is ignored); on failure says where and what was expected. */
export function parseJson(text: string): ParsedJson {
  const s = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const at = positions(s);
  const stack: Frame[] = [];
  const path = (): PathKey[] => stack.map((f) => ('array' in f ? f.array.length : f.key));
  const problems: { path: PathKey[]; offset: number; expected: string; found: string }[] = [];
  let i = 0;
  const ws = () => {
    for (let c = s.charCodeAt(i); c === 32 || c === 9 || c === 10 || c === 13; c = s.charCodeAt(++i));
  };
  const fail = (expected: string): never => {
    throw new Stop(i, expected);
  };
  const string = (): string => {
    const start = i++;
    for (;;) {
      STRING_RUN.lastIndex = i;
      STRING_RUN.test(s);
      i = STRING_RUN.lastIndex;
      const c = s[i];
      if (c === '"') break;
      if (c === undefined) fail('a closing quote');
      if (c !== '\\') fail('a closing quote before the line ends');
      if (s[i + 1] === 'u' && /^[0-9a-fA-F]{4}$/.test(s.slice(i + 2, i + 6))) i += 6;
      else if (s[i + 1] !== undefined && '"\\/bfnrt'.includes(s[i + 1])) i += 2;
      else (i++, fail('an escape such as \\n, \\" or \\u00e9'));
    }
    i++;
    return JSON.parse(s.slice(start, i)) as string;
  };
  /** Reads `"name":` inside the object on top of the stack and notes a repeat. */
  const key = (frame: Extract<Frame, { object: unknown }>) => {
    ws();
    if (s[i] !== '"') fail('a property name in double quotes');
    const offset = i;
    frame.key = string();
    ws();
    if (s[i] !== ':') fail("':'");
    i++;
    const first = frame.seen.get(frame.key);
    if (first === undefined) frame.seen.set(frame.key, offset);
    else {
      const was = at(first);
      problems.push({ path: path(), offset, expected: 'each property once', found: `a duplicate (first at line ${was.line}, column ${was.column})` });
    }
  };
  /** A scalar at s[i], or undefined after pushing a new container onto the stack. */
  const open = (): { value: unknown } | undefined => {
    ws();
    const c = s[i];
    if (c === '{' || c === '[') {
      if (stack.length >= MAX_DEPTH) throw new Stop(i, `at most ${MAX_DEPTH} levels of nesting`, 'depth');
      i++;
      ws();
      const close = c === '{' ? '}' : ']';
      if (s[i] === close) {
        i++;
        return { value: c === '{' ? {} : [] };
      }
      if (c === '[') stack.push({ array: [] });
      else {
        const frame = { object: {}, key: '', seen: new Map<string, number>() };
        stack.push(frame);
        key(frame);
      }
      return undefined;
    }
    if (c === '"') return { value: string() };
    NUMBER.lastIndex = i;
    if (NUMBER.test(s)) {
      const literal = s.slice(i, NUMBER.lastIndex);
      const value = Number(literal);
      if (!Number.isFinite(value)) problems.push({ path: path(), offset: i, expected: FINITE, found: literal });
      i = NUMBER.lastIndex;
      return { value };
    }
    for (const [word, value] of [['true', true], ['false', false], ['null', null]] as const) {
      if (s.startsWith(word, i)) {
        i += word.length;
        return { value };
      }
    }
    return fail('a value');
  };

  try {
    let done: { value: unknown } | undefined;
    for (;;) {
      done = open();
      // Hand finished values up to their containers until one expects another item.
      while (done && stack.length > 0) {
        const top = stack[stack.length - 1];
        if ('array' in top) top.array.push(done.value);
        else put(top.object, top.key, done.value);
        ws();
        const close = 'array' in top ? ']' : '}';
        if (s[i] === ',') {
          i++;
          if ('object' in top) key(top);
          done = undefined;
        } else if (s[i] === close) {
          i++;
          stack.pop();
          done = { value: 'array' in top ? top.array : top.object };
        } else {
          fail(`',' or '${close}'`);
        }
      }
      if (done) break;
    }
    ws();
    if (i < s.length) fail('end of file');
    return { value: done.value, problems: problems.map(({ offset, ...p }) => ({ ...p, ...at(offset) })) };
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
    const found = e.offset >= s.length ? 'end of file' : JSON.stringify(s[e.offset]);
    return { error: { kind: e.kind, path: e.kind === 'depth' ? path() : [], ...at(e.offset), expected: e.expected, found } };
  }
}
