/**
 * Hyperparameter sweeps: the search space, samplers (grid, random, TPE, GP), trial stoppers (median,
 * ASHA, Hyperband), results (best or Pareto front, importance, history), and the coordinator that runs
 * trials as ordinary runs. Entry points for the CLI and the extension: startSweep, resumeSweep,
 * requestSweepStop, loadSweepView, listSweepViews.
 */
export type { History, Params, Pruning, Sampler, Trial, TrialState, TrialStopper } from './types';
export { lastEpoch } from './types';
export { createSpace, isActive, buildParams, sampleParams, paramsKey, fromUnit, toUnit, type Dim, type NumericDim, type Space } from './space';
export {
  SAMPLERS, createSampler, gridConfigs, gridValues, rankTrials, encode, resolveSampler, withDefaults, GP_MAX_TRIALS, AUTO_TPE_EVERY,
  type ConcreteSamplerSpec, type SamplerChoice,
} from './samplers';
export { STOPPERS, createStopper, rungEpochs, ashaDecision, bracketOf } from './stoppers';
export { dominates, frontRanks, parego, toLosses } from './objectives';
export { permutationImportance, IMPORTANCE_METHOD } from './importance/permutation';
export { sweepResults, type HistoryPoint, type SweepResults } from './results';
export {
  listSweeps, readSweepRecord, resolveSweep, sweepDirOf, type SweepRecord, type SweepStatus, type TrialRecord,
} from './record';
export type { SweepEvent } from './coordinator';
export { coordinatorOf } from './coordinator-lock';
export { startSweep, loadSweepSpec, resumeSweep, requestSweepStop, sweepResumeCommand, type SweepHandle, type SweepRunOptions } from './api';
export { sweepViewOf, sweepStepUnit, loadSweepView, listSweepViews, type SweepView, type SweepTrialView, type TrialViewState } from './view';
