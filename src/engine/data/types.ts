/** A loaded data set: plain typed arrays, no tensors, so loaders stay pure and testable. */

export type Task = 'regression' | 'classification';

export interface Part {
  /** Row-major inputs, `n * prod(inputShape)` values. */
  x: Float32Array;
  /** Regression: targets; classification: class indices stored as floats. */
  y: Float32Array;
  n: number;
}

export interface Dataset {
  task: Task;
  /** Shape of one sample, e.g. `[2]` or `[8, 8, 1]`. */
  inputShape: number[];
  /** Number of classes; 0 for regression. */
  classes: number;
  train: Part;
  val: Part;
  test: Part;
  /** CSV classification: the label each class index stands for (labels[i] is output i), in sorted order. */
  labels?: string[];
  /** Set when `normalizeTarget` standardised a regression target: y_train = (y - mean) / std. */
  target?: { mean: number; std: number };
  /** One line for logs: source, sizes, normalisation. */
  description: string;
}
