/**
 * Spec validation: the JSON Schema first (types, ranges, names, defaults), then the semantic
 * checks, all problems reported together so one edit-run cycle fixes them all.
 */
import { isAbsolute } from 'node:path';
import type { Spec, SpecProblem } from './types';
import { schemaErrors } from './schema';
import { ajvProblems, missingPaths } from './problems';
import { fillDerivedDefaults } from './defaults';
import { CHECKS, LIMIT_CHECKS, runChecks } from './checks';
import { checkStructure } from './structure';
import { boundProblem } from './bound';

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
  const { copy: value, problems: structural } = checkStructure(raw);
  const errors = schemaErrors(value);
  // A non-finite number or an oversized container is reported as such, not as the type or size error ajv also finds there.
  const reported = new Set(structural.map((p) => p.path));
  const schemaProblems = [...structural, ...ajvProblems(errors).filter((p) => !reported.has(p.path))];
  fillDerivedDefaults(value);
  const wrong = [...schemaProblems.map((p) => p.path), ...missingPaths(errors)];
  const semantic = runChecks(CHECKS, { spec: value as Spec, raw, baseDir: opts.baseDir }, wrong);
  const problems = [...schemaProblems, ...semantic.map((p): SpecProblem => ({ ...p, kind: 'check' }))].map(boundProblem);
  return problems.length > 0 ? { problems } : { spec: value as Spec, problems };
}

/**
 * Checks a spec that was validated once already and has every default filled (a run's snapshot, a queue
 * job's spec) against the JSON Schema (types, ranges, names, sizes) and the machine's limits (LIMIT_CHECKS:
 * the schema's ranges allow a model of 10^11 weights). The other semantic checks are not run again: they
 * judge what the user wrote, which filled defaults no longer tell apart. A data path must be absolute, as
 * every run's snapshot has it (absolute-paths.ts): a relative one would be read from wherever the reader runs.
 * `limits: false` leaves the limits to the caller: they read the data file to size the model, and a federated
 * client job's data is not that file but arrives with the job (engine/federated/remote-job.ts).
 */
export function validateFilledSpec(spec: unknown, o: { limits?: boolean } = {}): Validated {
  const { copy: value, problems: structural } = checkStructure(spec);
  const reported = new Set(structural.map((p) => p.path));
  const schemaProblems = [...structural, ...ajvProblems(schemaErrors(value)).filter((p) => !reported.has(p.path))];
  const limits = o.limits === false ? [] : runChecks(LIMIT_CHECKS, { spec: value as Spec, raw: value, baseDir: '/' }, []);
  const checks = schemaProblems.length ? [] : [...relativePath(value as Spec), ...limits];
  const problems = [...schemaProblems, ...checks.map((p): SpecProblem => ({ ...p, kind: 'check' }))].map(boundProblem);
  return problems.length > 0 ? { problems } : { spec: value as Spec, problems };
}

/** A filled spec's data path, when it is not absolute. */
function relativePath({ data }: Spec): Omit<SpecProblem, 'kind'>[] {
  const path = 'path' in data ? data.path : undefined;
  return path === undefined || isAbsolute(path) ? [] : [{ path: 'data.path', expected: 'an absolute path', found: JSON.stringify(path) }];
}
