/**
 * The experiment spec (`*.hone.json`). The JSON Schema in `schema/hone.schema.json` is the source of
 * truth for fields, defaults and docs; these types mirror it after defaults are applied.
 */
import type { SweepSpec } from './sweep-types';
import type { FederatedSpec } from './federated-types';
import type { CompressSpec } from './compress-types';
import type { RobustnessSpec } from './robust-types';

export type BackendName = 'tensorflow-gpu' | 'tensorflow' | 'webgpu' | 'wasm' | 'cpu';
export type BackendChoice = 'auto' | BackendName;

export interface Split {
  train: number;
  val: number;
  test: number;
}

/** Input normalisation, fitted on the training split only. */
export type Normalize = 'standard' | 'minmax' | 'scale' | 'none';

interface DataCommon {
  split: Split;
  normalize: Normalize;
  /** Regression only: standardise the target for training; metrics stay in the target's units. */
  normalizeTarget: boolean;
  /** Generates and shuffles the data in place of the run's seed, so runs of any seed share it. */
  seed?: number;
}

/** Seeded `make_regression`-like generator: y = X w + bias + noise * N(0, 1). */
export interface RegressionData extends DataCommon {
  source: 'regression';
  samples: number;
  features: number;
  informative: number;
  noise: number;
  bias: number;
}

/** Seeded `make_classification`-like generator: Gaussian clusters around hypercube vertices. */
export interface ClassificationData extends DataCommon {
  source: 'classification';
  samples: number;
  features: number;
  informative: number;
  classes: number;
  classSep: number;
}

/** UCI optical digits bundled in media/data (8x8, values 0..16). */
export interface DigitsData extends DataCommon {
  source: 'digits';
}

/** A folder holding the four MNIST IDX gz files. `limit` caps the training images used. */
export interface MnistData extends DataCommon {
  source: 'mnist';
  /** The folder of the four IDX files; absent: the first folder `findMnist` (core/datasets) finds. */
  path?: string;
  limit?: number;
}

export interface CsvData extends DataCommon {
  source: 'csv';
  path: string;
  /** Column name (with a header row) or zero-based index. */
  target: string | number;
  task?: 'regression' | 'classification';
  /** Whether the first row names the columns; absent: Hone decides (engine/data/csv.ts, hasHeader). */
  header?: boolean;
}

export type DataSpec = RegressionData | ClassificationData | DigitsData | MnistData | CsvData;

export type Activation = 'relu' | 'tanh' | 'sigmoid' | 'elu' | 'selu' | 'gelu' | 'linear';

export type LayerSpec =
  | { type: 'dense'; units: number; activation?: Activation }
  /** `strides` defaults to 1 and `padding` to 'same' (engine/models/build.ts); the spec's shape check assumes both. */
  | { type: 'conv2d'; filters: number; kernelSize: number; strides?: number; padding?: 'same' | 'valid'; activation?: Activation }
  /** Pooling pads 'valid'; `strides` defaults to `poolSize`. */
  | { type: 'maxPool2d'; poolSize: number; strides?: number }
  | { type: 'avgPool2d'; poolSize: number; strides?: number }
  | { type: 'flatten' }
  | { type: 'dropout'; rate: number }
  | { type: 'batchNorm' };

export type ModelSpec =
  | { type: 'linear' }
  | { type: 'mlp'; layers: number[]; activation: Activation; dropout: number }
  /**
   * Per entry of `filters`: conv (`kernelSize`, 'same' padding), optional batch norm, then max pooling
   * with window and stride `pool` and 'valid' padding (so 8x8 survives three blocks of pool 2, not four).
   */
  | {
      type: 'cnn';
      filters: number[];
      kernelSize: number;
      pool: number;
      dense: number[];
      activation: Activation;
      dropout: number;
      batchNorm: boolean;
    }
  /** An explicit hidden stack; Hone appends the output layer that fits the task. */
  | { type: 'layers'; layers: LayerSpec[] };

export type OptimizerName = 'sgd' | 'momentum' | 'nesterov' | 'adam' | 'adamw' | 'adagrad' | 'rmsprop';

export type Schedule =
  | { type: 'constant' }
  | { type: 'step'; stepEpochs: number; gamma: number }
  | { type: 'cosine'; warmupEpochs: number; minLr: number }
  | { type: 'onecycle'; pctStart: number; divFactor: number; finalDivFactor: number };

export interface EarlyStopping {
  metric: string;
  patience: number;
  minDelta: number;
  mode: 'auto' | 'min' | 'max';
}

/** Checkpoints for `hone resume`: the state at the end of every `every`-th epoch (0: none). */
export interface Checkpointing {
  every: number;
}

export interface TrainSpec {
  optimizer: OptimizerName;
  lr: number;
  /** Momentum coefficient for `momentum` and `nesterov`. */
  momentum: number;
  /** Decoupled weight decay for `adamw` (Loshchilov & Hutter 2019, arXiv:1711.05101). */
  weightDecay: number;
  schedule: Schedule;
  /** 0 means full batch. */
  batchSize: number;
  epochs: number;
  l1: number;
  l2: number;
  regularizeBias: boolean;
  /** Dropout after each hidden layer of an `mlp`/`cnn`, overriding the model's own rate when > 0. */
  dropout: number;
  earlyStopping?: EarlyStopping;
  /** Clip the global gradient norm to this value (0: off). */
  clipNorm: number;
  checkpoint?: Checkpointing;
}

export interface Spec {
  name: string;
  description?: string;
  seed: number;
  backend: BackendChoice;
  /** Threads of the wasm backend (0: HONE_THREADS, else the run's fair share of the cores). */
  threads?: number;
  data: DataSpec;
  model: ModelSpec;
  train: TrainSpec;
  /** Hyperparameter sweep over this spec (`hone sweep`); `hone run` ignores it. */
  sweep?: SweepSpec;
  /** Compression after training (or of another run's model, `hone compress`); see compress-types.ts. */
  compress?: CompressSpec;
  /** Adversarial robustness: evaluation under attacks and/or adversarial training (robust-types.ts). */
  robustness?: RobustnessSpec;
  /** Train by simulated federated learning (a run of kind `federated`); `train` is then each client's optimiser. */
  federated?: FederatedSpec;
}

/** One problem found in a spec: where, what was expected, what was found. */
export interface SpecProblem {
  /** JSON path such as `train.lr` or `model.layers[0].units`; empty string for the root. */
  path: string;
  expected: string;
  found: string;
  /**
   * `check` for problems the JSON Schema cannot express (files that must exist, a model that must fit
   * the data, a duplicate key): the editor shows these as diagnostics, since its JSON support already
   * reports the rest. `omitted` marks the last entry of a capped list: `found` counts the problems left out.
   */
  kind?: 'check' | 'omitted';
}
