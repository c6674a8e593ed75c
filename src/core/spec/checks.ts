/**
 * Semantic checks: rules the JSON Schema cannot say (fractions that sum to 1, a CNN that needs
 * images). Each check names the spec paths it reads and runs only when the schema accepted all of
 * them, so it can trust their types and defaults and never reports a knock-on of a schema error.
 */
import type { Spec, SpecProblem } from './types';
import { pathsOverlap } from './paths';
import { DATA_CHECKS, generatedDataFits } from './checks-data';
import { FILE_CHECKS } from './checks-files';
import { CSV_CHECKS } from './checks-csv';
import { MODEL_CHECKS, modelFits } from './checks-model';
import { TRAIN_CHECKS } from './checks-train';
import { SWEEP_CHECKS } from './checks-sweep';
import { SWEEP_VALUE_CHECKS } from './checks-sweep-values';
import { FEDERATED_CHECKS, localBatchFits } from './checks-federated';
import { COMPRESS_CHECKS } from './checks-compress';
import { ROBUST_CHECKS } from './checks-robust';

export interface CheckContext {
  /** The spec with defaults filled; trustworthy at the paths the check reads. */
  spec: Spec;
  /** The input before defaults, to tell a value the user wrote from a default. */
  raw: unknown;
  /** Folder that relative data paths resolve against: the spec file's folder. */
  baseDir: string;
}

export interface Check {
  /** Spec paths this check reads. */
  reads: string[];
  run(ctx: CheckContext): SpecProblem[];
}

export const CHECKS: readonly Check[] = [
  ...DATA_CHECKS, ...FILE_CHECKS, ...CSV_CHECKS, ...MODEL_CHECKS, ...TRAIN_CHECKS, ...SWEEP_CHECKS, ...SWEEP_VALUE_CHECKS,
  ...COMPRESS_CHECKS, ...ROBUST_CHECKS, ...FEDERATED_CHECKS,
];

/**
 * The checks of what a spec asks of the machine (limits.ts: generated data, a model's weights, a batch's
 * activations), which judge the filled spec alone: run again on a spec that arrives from elsewhere (a queue
 * job), so an agent never builds what a local run would have refused.
 */
export const LIMIT_CHECKS: readonly Check[] = [generatedDataFits, modelFits, localBatchFits];

/** Runs every check whose paths are free of the paths the schema found wrong; returns all they find. */
export function runChecks(checks: readonly Check[], ctx: CheckContext, wrong: readonly string[]): SpecProblem[] {
  const clean = (c: Check) => !c.reads.some((r) => wrong.some((w) => pathsOverlap(w, r)));
  return checks.filter(clean).flatMap((c) => c.run(ctx));
}
