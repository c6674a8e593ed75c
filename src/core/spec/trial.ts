/**
 * The spec of one sweep trial: the sweep's spec without its `sweep` section, with each parameter set
 * at its path exactly as `--set path=value` would, then validated like any spec file.
 */
import type { Spec, SpecProblem } from './types';
import type { Json } from './sweep-types';
import { applyOverrides, parseSetValue } from './overrides';
import { validateSpec } from './validate';
import { reportProblems } from './bound';

/** `train.lr=0.01`, `train.optimizer=adam`, `model.layers=[64,32]`: a `--set` assignment that parses back to `value`. */
export function setString(path: string, value: Json): string {
  const text = typeof value === 'string' && parseSetValue(value) === value ? value : JSON.stringify(value);
  return `${path}=${text}`;
}

/** `raw` (a parsed spec, before defaults) without its `sweep` section; other values are shared, not copied. */
export function withoutSweep(raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw) || !('sweep' in raw)) return raw;
  const { sweep: _sweep, ...rest } = raw as Record<string, unknown>;
  return rest;
}

export interface TrialSpec {
  /** The validated trial spec; absent when `problems` is not empty. */
  spec?: Spec;
  problems: SpecProblem[];
  /** The assignments made, in parameter order: the run's overrides. */
  overrides: string[];
}

/** Builds and validates the spec of a trial with `params` (path -> value) from the sweep's raw spec. */
export function trialSpec(raw: unknown, params: Record<string, Json>, baseDir: string): TrialSpec {
  const overrides = Object.entries(params).map(([path, v]) => setString(path, v));
  const over = applyOverrides(withoutSweep(raw), overrides);
  const checked = validateSpec(over.value, { baseDir });
  const problems = reportProblems(over.problems, checked.problems);
  return { spec: problems.length ? undefined : checked.spec, problems, overrides };
}
