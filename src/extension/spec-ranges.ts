/**
 * Where in a spec's text a problem is: the span to underline for a SpecProblem's JSON path. Pure (no
 * vscode import), unit-tested.
 */
import { findNodeAtLocation, parseTree, type Node } from 'jsonc-parser';
import { formatProblem, LIMITS, parseJson, validateSpec, type SpecProblem } from '../core/spec';
import { formatPath } from '../core/spec/paths';

type Key = string | number;

/** `train.lr`, `model.layers[0].units`, `sweep.parameters["train.lr"].min` as keys; undefined when malformed. */
export function pathKeys(path: string): Key[] | undefined {
  const keys: Key[] = [];
  let i = 0;
  while (i < path.length) {
    if (path[i] === '[') {
      const quoted = /^\[("(?:[^"\\]|\\.)*")\]/.exec(path.slice(i));
      const index = /^\[(\d+)\]/.exec(path.slice(i));
      if (quoted) keys.push(JSON.parse(quoted[1]) as string);
      else if (index) keys.push(Number(index[1]));
      else return undefined;
      i += (quoted ?? index)![0].length;
    } else {
      if (path[i] === '.' && keys.length) i++;
      const name = /^[^.[]+/.exec(path.slice(i));
      if (!name) return undefined;
      keys.push(name[0]);
      i += name[0].length;
    }
  }
  return keys;
}

export interface Span {
  offset: number;
  length: number;
}

/** A property's key, else the node itself. */
const keyOf = (n: Node): Node => (n.parent?.type === 'property' ? n.parent.children![0] : n);

/**
 * The span a problem points at: for a property that should not be there, its key; for a wrong value,
 * the value; for something missing, the key of the nearest part that exists (the object it belongs in).
 */
export function problemSpan(text: string, problem: SpecProblem): Span {
  const root = parseTree(text);
  const keys = pathKeys(problem.path) ?? [];
  if (!root || !keys.length) return { offset: 0, length: 1 };
  const node = findNodeAtLocation(root, keys);
  if (node) {
    const at = problem.expected.startsWith('no property') ? keyOf(node) : node;
    return { offset: at.offset, length: at.length };
  }
  for (let n = keys.length - 1; n > 0; n--) {
    const parent = findNodeAtLocation(root, keys.slice(0, n));
    if (parent) {
      const at = keyOf(parent);
      return { offset: at.offset, length: at === parent ? 1 : at.length };
    }
  }
  return { offset: 0, length: 1 };
}

/** A problem of a spec's text as the editor underlines it. */
export interface LocatedProblem extends Span {
  message: string;
}

/** The offset of a 1-based line and column (a leading BOM counted, as the editor counts it). */
function offsetAt(text: string, line: number, column: number): number {
  let at = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (let l = 1; l < line; l++) at = text.indexOf('\n', at) + 1;
  return Math.min(text.length, at + column - 1);
}

/**
 * Every problem of a spec's text, each at its span, in the CLI's words: the text parsed and checked by
 * the same `validateSpec` that `hone run` uses. A JSON syntax error gives none (VS Code's JSON support
 * reports it as you type), nesting deeper than Hone reads gives one where it happens, and a text whose
 * tree jsonc-parser cannot build (it recurses, so deep nesting overflows its stack) gives one problem at
 * the start instead of locating each.
 */
export function locateProblems(text: string, baseDir: string): LocatedProblem[] {
  const parsed = parseJson(text);
  if ('error' in parsed) {
    const { kind, path, line, column, expected, found } = parsed.error;
    if (kind !== 'depth') return [];
    const p: SpecProblem = { path: formatPath(path), expected, found: `${found} opening level ${LIMITS.depth + 1}` };
    return [{ offset: offsetAt(text, line, column), length: 1, message: formatProblem(p) }];
  }
  const problems = validateSpec(parsed.value, { baseDir }).problems;
  try {
    return problems.map((p) => ({ ...problemSpan(text, p), message: formatProblem(p) }));
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    const first = problems[0] ? `; the first: ${formatProblem(problems[0])}` : '';
    return [{ offset: 0, length: 1, message: `${problems.length} problem(s), not located: the text is nested too deeply to map paths to places${first}` }];
  }
}
