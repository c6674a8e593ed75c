/**
 * The spec's `compress` section (schema: `compress` in schema/hone.schema.json), after defaults. Stages
 * run in this order on the trained network: prune, structured, share, quantize; each retrains for its own
 * `epochs` with the spec's `train` settings (lr: `compress.lr` when given). Layers are named `conv1`,
 * `conv2`, ..., `dense1`, `dense2`, ... in order; the last dense layer is the output layer.
 */
export type PruneSchedule =
  /** Prune to the target at once, then retrain. */
  | { type: 'oneshot' }
  /** Zhu & Gupta's gradual schedule over the stage's steps (begin/end as fractions of them), masks updated every `frequency` steps. */
  | { type: 'polynomial'; initialSparsity: number; begin: number; end: number; frequency: number }
  /** `cycles` rounds of prune then retrain (`epochs` each); `rewind: init` resets the kept weights to their initial values (lottery ticket). */
  | { type: 'iterative'; cycles: number; rewind: 'none' | 'init' };

export interface PruneSpec {
  sparsity: number;
  scope: 'layer' | 'global';
  /** Per-layer sparsity, overriding `sparsity` (and, with `global`, taking the layer out of the common pool). */
  layers: Record<string, number>;
  schedule: PruneSchedule;
  epochs: number;
}

export interface StructuredSpec {
  /** Fraction of the units (filters) of each hidden dense (conv) layer removed. */
  fraction: number;
  norm: 'l1' | 'l2';
  layers: Record<string, number>;
  epochs: number;
}

export type CentroidInitName = 'linear' | 'density' | 'random';

export interface ShareSpec {
  clusters: number;
  init: CentroidInitName;
  layers: Record<string, number>;
  epochs: number;
}

/** 2..8: affine integers; 16: float16. */
export type QuantizeBits = 2 | 3 | 4 | 5 | 6 | 7 | 8 | 16;

export interface QuantizeSpec {
  bits: QuantizeBits;
  granularity: 'tensor' | 'channel';
  layers: Record<string, QuantizeBits>;
  /** Epochs of quantization-aware training (0: post-training quantization only). */
  epochs: number;
}

export interface CompressSpec {
  prune?: PruneSpec;
  structured?: StructuredSpec;
  share?: ShareSpec;
  quantize?: QuantizeSpec;
  /** Learning rate of every compression stage's retraining; absent: train.lr. */
  lr?: number;
  sensitivity?: { sparsities: number[]; bits: number[] };
  latency: { warmup: number; runs: number };
}
