/**
 * The default sampler (`sweep.sampler` absent or `{ "type": "auto" }`): the method that measured best
 * for the space and the trial budget (bench/RESULTS.md "Samplers"), resolved once when the sweep starts
 * and recorded in sweep.json with the reason.
 */
import schema from '../../../../schema/hone.schema.json';
import type { SamplerSpec, SweepSpec } from '../../spec/sweep-types';
import type { Space } from '../space';

export type ConcreteSamplerSpec = Exclude<SamplerSpec, { type: 'auto' }>;

export interface SamplerChoice {
  sampler: ConcreteSamplerSpec;
  /** Why `auto` picked it; absent when the spec named the sampler. */
  reason?: string;
}

/** Largest budget the Gaussian process gets: its fit costs O(n^3) per suggestion, and TPE catches up on long sweeps. */
export const GP_MAX_TRIALS = 200;
/**
 * In `auto`'s Gaussian process, every third trial is TPE's: a portfolio for where the GP misleads. Chosen when the GP fitted the raw
 * losses (Rosenbrock: 168 against the GP alone's 295, median of 80 seeds in bench/samplers); since the GP picks its output warp
 * (math/warp.ts) the GP alone measured lower on 6 of the 8 problems (Rosenbrock 10.4 against 15.2) and the pair on Ackley and Levy
 * (8.33 / 11.8 against 9.03 / 14.6), both far below Optuna's TPE: the rule stays until seeds not yet looked at say otherwise.
 */
export const AUTO_TPE_EVERY = 3;

/** A sampler with the schema's defaults for its settings, as ajv fills them for a spec that names only the type. */
export function withDefaults<T extends ConcreteSamplerSpec['type']>(type: T): Extract<ConcreteSamplerSpec, { type: T }> {
  const branches = schema.properties.sweep.properties.sampler.oneOf as unknown as { properties: Record<string, { const?: string; default?: unknown }> }[];
  const props = branches.find((b) => b.properties.type.const === type)!.properties;
  const defaults = Object.entries(props).filter(([k, v]) => k !== 'type' && v.default !== undefined).map(([k, v]) => [k, v.default]);
  return { type, ...Object.fromEntries(defaults) } as Extract<ConcreteSamplerSpec, { type: T }>;
}

/**
 * The rule of `auto`, from the sampler benchmark: with no more trials than the model-based samplers'
 * random startup, random search (they would only run their startup); a space with a categorical or
 * conditional parameter, an open budget (`timeLimit` only) or more than GP_MAX_TRIALS trials, TPE (its
 * Parzen estimators model categories and conditions natively and cost little per trial); otherwise the
 * Gaussian process with every third trial TPE's: at 50 trials the GP alone had a lower median regret than
 * TPE on all 8 numeric problems of bench/RESULTS.md "Samplers", and the two taking turns beat Optuna's TPE on
 * all 8 in each of its four sets of 50 hold-out seeds. The rule does not look at the dimension: the GP's
 * gains over TPE vary by problem, not by dims (bench/samplers/findings.md).
 */
export function resolveSampler(sweep: Pick<SweepSpec, 'sampler' | 'trials'>, space: Space): SamplerChoice {
  if (sweep.sampler.type !== 'auto') return { sampler: sweep.sampler };
  const gp = withDefaults('gp');
  const n = space.dims.length;
  const mixed = space.dims.filter((d) => d.type === 'categorical' || d.when).map((d) => d.path);
  if (sweep.trials !== undefined && sweep.trials <= gp.startupTrials) {
    return { sampler: withDefaults('random'), reason: `${sweep.trials} trials: no more than a model-based sampler's ${gp.startupTrials} random startup trials` };
  }
  if (mixed.length) return { sampler: withDefaults('tpe'), reason: `categorical or conditional parameters (${mixed.join(', ')})` };
  if (sweep.trials === undefined) return { sampler: withDefaults('tpe'), reason: 'no trial budget (timeLimit only): TPE costs little per trial' };
  if (sweep.trials > GP_MAX_TRIALS) return { sampler: withDefaults('tpe'), reason: `${sweep.trials} trials: more than ${GP_MAX_TRIALS}, where the Gaussian process gets slow` };
  return {
    sampler: { ...gp, tpeEvery: AUTO_TPE_EVERY },
    reason: `${n} numeric parameter${n === 1 ? '' : 's'}, ${sweep.trials} trials: the Gaussian process, every ${AUTO_TPE_EVERY}rd trial TPE's`,
  };
}
