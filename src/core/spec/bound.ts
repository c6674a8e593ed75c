/**
 * How much of a spec's problems is reported. A spec can hold a 1 MB property name or thousands of
 * mistakes; the report stays readable and its size bounded: every part of a problem is cut to a limit
 * (in the middle, so a file name at the end survives), and after MAX_PROBLEMS one entry counts the rest.
 */
import type { SpecProblem } from './types';
import { LIMITS } from './limits';
import { withinAny } from './paths';

const MAX_PROBLEMS = LIMITS.problems;

/** Characters kept of each part of a problem; a path 64 levels deep fits. */
export const PART_LIMITS = { path: 512, expected: 400, found: 300 } as const;

/**
 * `text` cut to `max` characters with an ellipsis in the middle, control characters written as JSON
 * escapes (a key or value holding a newline must not break the one-line-per-problem report).
 */
export function clip(text: string, max: number): string {
  const flat = text.replace(/[\u0000-\u001f]/g, (c) => JSON.stringify(c).slice(1, -1));
  if (flat.length <= max) return flat;
  const head = Math.ceil((max - 3) / 2);
  return `${flat.slice(0, head)}...${flat.slice(flat.length - (max - 3 - head))}`;
}

export function boundProblem(p: SpecProblem): SpecProblem {
  const { path, expected, found } = PART_LIMITS;
  return { ...p, path: clip(p.path, path), expected: clip(p.expected, expected), found: clip(p.found, found) };
}

/**
 * The problems of one spec as reported: those found before validation (`upstream`: JSON and `--set`
 * problems), then validation's, except those at or inside a path already reported upstream (they
 * only restate it: a duplicate key's kept value, a number that overflowed), each bounded, at most
 * MAX_PROBLEMS, then an `omitted` entry whose `found` counts the rest.
 */
export function reportProblems(upstream: readonly SpecProblem[], validated: readonly SpecProblem[] = []): SpecProblem[] {
  const reported = new Set(upstream.filter((u) => u.path !== '--set').map((u) => u.path));
  const all = [...upstream, ...validated.filter((v) => !withinAny(v.path, reported))];
  const shown = all.slice(0, MAX_PROBLEMS).map(boundProblem);
  if (all.length <= MAX_PROBLEMS) return shown;
  return [...shown, { path: '', expected: `at most ${MAX_PROBLEMS} problems listed`, found: `${all.length - MAX_PROBLEMS} more`, kind: 'omitted' }];
}
