/**
 * Spec validation: the JSON Schema first (types, ranges, names, defaults), then the semantic
 * checks, all problems reported together so one edit-run cycle fixes them all.
 */
import type { Spec, SpecProblem } from './types';
import { schemaErrors } from './schema';
import { ajvProblems } from './problems';
import { fillDerivedDefaults } from './defaults';
import { CHECKS, runChecks } from './checks';

export interface ValidateOptions {
  /** Folder that relative `data.path` values resolve against: the spec file's folder. */
  baseDir: string;
}

export interface Validated {
  /** The spec with every default filled; present only when there are no problems. */
  spec?: Spec;
  problems: SpecProblem[];
}

/**
 * Validates a parsed spec and fills its defaults. Does not mutate `raw`: defaults go into a copy,
 * and `raw` is kept to tell options the user wrote (`weightDecay`) from defaults.
 */
export function validateSpec(raw: unknown, opts: ValidateOptions): Validated {
  const value: unknown = raw === undefined ? undefined : structuredClone(raw);
  const schemaProblems = ajvProblems(schemaErrors(value));
  fillDerivedDefaults(value);
  const semantic = runChecks(CHECKS, { spec: value as Spec, raw, baseDir: opts.baseDir }, schemaProblems);
  const problems = [...schemaProblems, ...semantic.map((p): SpecProblem => ({ ...p, kind: 'check' }))];
  return problems.length > 0 ? { problems } : { spec: value as Spec, problems };
}
