/** Reading a `*.hone.json` file: parse, apply `--set` overrides, validate, format problems. */
import { dirname, resolve } from 'node:path';
import type { Spec, SpecProblem } from './types';
import { parseJson, type JsonProblem } from './json-syntax';
import { applyOverrides } from './overrides';
import { validateSpec } from './validate';
import { formatPath } from './paths';
import { reportProblems } from './bound';
import { LIMITS } from './limits';
import { DataError, readRegularFile } from '../../engine/data';

export interface LoadedSpec {
  /** The validated spec with defaults; present only when there are no problems. */
  spec?: Spec;
  problems: SpecProblem[];
  /** The parsed file after overrides, before defaults: what the user asked for. */
  raw?: unknown;
}

/** The spec file's text: a regular file (a named pipe would block the read forever) of at most LIMITS.specBytes. */
export function readSpecText(file: string): string | SpecProblem {
  try {
    const { bytes, size } = readRegularFile(file, LIMITS.specBytes);
    if (size > LIMITS.specBytes) return { path: '', expected: `a spec file of at most ${LIMITS.specBytes} bytes`, found: `${size} bytes`, kind: 'check' };
    return bytes.toString('utf8');
  } catch (e) {
    if (!(e instanceof DataError)) throw e;
    return { path: '', expected: 'a readable spec file', found: e.found };
  }
}

/** A problem of the JSON text itself, at its path, with where it is in the file. */
export const jsonProblem = (p: JsonProblem): SpecProblem => ({
  path: formatPath(p.path),
  expected: p.expected,
  found: `${p.found} at line ${p.line}, column ${p.column}`,
  kind: 'check',
});

/**
 * Loads and validates a spec file. Relative data paths resolve against `baseDir`: the file's folder
 * unless a datasets folder is configured.
 * An unreadable file or a JSON syntax error is one problem (at the root, with `line:column` in
 * `found`), nesting deeper than LIMITS.depth one at the path where it happens; otherwise every
 * duplicate key, overflowing number, override, schema and semantic problem is reported, bounded as
 * bound.ts says.
 */
export function loadSpecFile(file: string, sets: string[] = [], baseDir = dirname(resolve(file))): LoadedSpec {
  const text = readSpecText(file);
  if (typeof text !== 'string') return { problems: [text] };
  const parsed = parseJson(text);
  if ('error' in parsed) {
    const { kind, line, column, expected, found } = parsed.error;
    if (kind === 'depth') return { problems: reportProblems([jsonProblem({ ...parsed.error, found: `${found} opening level ${LIMITS.depth + 1}` })]) };
    return { problems: [{ path: '', expected: `valid JSON: ${expected}`, found: `${found} at line ${line}, column ${column}` }] };
  }
  const over = applyOverrides(parsed.value, sets);
  const checked = validateSpec(over.value, { baseDir });
  const problems = reportProblems([...parsed.problems.map(jsonProblem), ...over.problems], checked.problems);
  return { spec: problems.length > 0 ? undefined : checked.spec, problems, raw: over.value };
}

/** One line per problem: `<file>: <path or (root)>: expected <expected>, found <found>`. */
export function formatProblems(file: string, problems: SpecProblem[]): string {
  return problems.map((p) => `${file}: ${formatProblem(p)}`).join('\n');
}

/** One problem as the CLI prints it after the file name, and as the editor's diagnostics say it. */
export const formatProblem = (p: SpecProblem): string =>
  p.kind === 'omitted' ? `... and ${p.found} problems` : `${p.path || '(root)'}: expected ${p.expected}, found ${p.found}`;
