/**
 * Two rules every value in a spec obeys, checked in one walk before the schema sees it: every number
 * is finite (the schema types and bounds each field, and this also covers the values it leaves open,
 * categorical and condition values, which a sweep later sets at real paths), and no array or object
 * holds more than LIMITS.entries entries (no spec field takes more, and the schema validator would
 * otherwise visit every one of a million items before saying so).
 */
import type { SpecProblem } from './types';
import { joinPath } from './paths';
import { showFound } from './describe';
import { FINITE, put } from './json-syntax';
import { LIMITS } from './limits';

export interface Structure {
  /** A copy of the value to validate (defaults are filled into it), oversized containers cut to their first entries. */
  copy: unknown;
  problems: SpecProblem[];
}

/** Checks and copies `value` without recursion, so no depth of nesting can overflow the stack. */
export function checkStructure(value: unknown): Structure {
  const problems: SpecProblem[] = [];
  const root: { v?: unknown } = {};
  const todo: [unknown, string, (copy: unknown) => void][] = [[value, '', (c) => (root.v = c)]];
  while (todo.length > 0) {
    const [v, path, set] = todo.pop()!;
    if (typeof v === 'number' && !Number.isFinite(v)) problems.push({ path, expected: FINITE, found: showFound(v) });
    if (typeof v !== 'object' || v === null) {
      set(v);
      continue;
    }
    const keys = Array.isArray(v) ? v.map((_, i) => i) : Object.keys(v);
    if (keys.length > LIMITS.entries) {
      const unit = Array.isArray(v) ? 'items' : 'properties';
      problems.push({ path, expected: `at most ${LIMITS.entries} ${unit} (no spec field holds more)`, found: `${keys.length} ${unit}` });
    }
    const copy = (Array.isArray(v) ? [] : {}) as Record<string, unknown>;
    set(copy);
    for (const k of keys.slice(0, LIMITS.entries).reverse()) {
      todo.push([(v as Record<string | number, unknown>)[k], joinPath(path, k), (c) => put(copy, String(k), c)]);
    }
  }
  return { copy: root.v, problems };
}
