/**
 * Where in a spec's text a problem is: the span to underline for a SpecProblem's JSON path. Pure (no
 * vscode import), unit-tested.
 */
import { findNodeAtLocation, parseTree, type Node } from 'jsonc-parser';
import type { SpecProblem } from '../core/spec';

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
