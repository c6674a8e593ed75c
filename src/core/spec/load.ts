/** Reading a `*.hone.json` file: parse, apply `--set` overrides, validate, format problems. */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Spec, SpecProblem } from './types';
import { parseJson } from './json-syntax';
import { applyOverrides } from './overrides';
import { validateSpec } from './validate';

export interface LoadedSpec {
  /** The validated spec with defaults; present only when there are no problems. */
  spec?: Spec;
  problems: SpecProblem[];
  /** The parsed file after overrides, before defaults: what the user asked for. */
  raw?: unknown;
}

/**
 * Loads and validates a spec file. Relative data paths resolve against `baseDir`: the file's folder
 * unless a datasets folder is configured.
 * Unreadable files and JSON syntax errors are one problem each (at the root, with
 * `line:column` in `found`); otherwise every override, schema and semantic problem is reported.
 */
export function loadSpecFile(file: string, sets: string[] = [], baseDir = dirname(resolve(file))): LoadedSpec {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    return { problems: [{ path: '', expected: 'a readable spec file', found: code }] };
  }
  const parsed = parseJson(text);
  if ('error' in parsed) {
    const { line, column, expected, found } = parsed.error;
    return { problems: [{ path: '', expected: `valid JSON: ${expected}`, found: `${found} at line ${line}, column ${column}` }] };
  }
  const over = applyOverrides(parsed.value, sets);
  const checked = validateSpec(over.value, { baseDir });
  const problems = [...over.problems, ...checked.problems];
  return { spec: problems.length > 0 ? undefined : checked.spec, problems, raw: over.value };
}

/** One line per problem: `<file>: <path or (root)>: expected <expected>, found <found>`. */
export function formatProblems(file: string, problems: SpecProblem[]): string {
  return problems.map((p) => `${file}: ${formatProblem(p)}`).join('\n');
}

/** One problem as the CLI prints it after the file name, and as the editor's diagnostics say it. */
export const formatProblem = (p: SpecProblem): string => `${p.path || '(root)'}: expected ${p.expected}, found ${p.found}`;
