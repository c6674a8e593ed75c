/** The experiment spec: types, validation with defaults, `--set` overrides, file loading. */
export type {
  Activation,
  BackendChoice,
  BackendName,
  ClassificationData,
  CsvData,
  DataSpec,
  DigitsData,
  EarlyStopping,
  LayerSpec,
  MnistData,
  ModelSpec,
  Normalize,
  OptimizerName,
  RegressionData,
  Schedule,
  Spec,
  SpecProblem,
  Split,
  TrainSpec,
} from './types';
export type { AttackName, AttackSpec, Norm, RobustEvaluate, RobustnessSpec, RobustTrain } from './robust-types';
export { epsList } from './robust-types';
export { validateSpec, type ValidateOptions, type Validated } from './validate';
export type {
  Direction, Json, SamplerSpec, StopperSpec, SweepCondition, SweepObjective, SweepParameter, SweepSpec,
} from './sweep-types';
export { setString, trialSpec, withoutSweep, type TrialSpec } from './trial';
export { applyOverrides, parseSetValue } from './overrides';
export { loadSpecFile, formatProblems, formatProblem, type LoadedSpec } from './load';
export { parsePath, type PathKey } from './paths';
export { inputShapeOf, taskOf, isImageData, type SpecTask } from './shape';
export { metricNames } from './checks-train';
export { stageMetrics, type StageMetrics, type StageName } from './stage-metrics';
export { MNIST_FILES } from './checks-files';
export { parseJson, type JsonSyntaxError } from './json-syntax';
export { SPEC_SCHEMA } from './schema';
export { LIMITS } from './limits';
export { hiddenLayers } from './layers';
