/**
 * What a metric means: which way is better, its unit, how to name it. One table, used by early stopping,
 * the runs' best values, the CLI's compare, the dashboard's stars and sweeps alike, so that a metric is
 * never ranked one way here and another there. Names are Hone's (Keras') own: a base name, optionally
 * after a split prefix (`val_accuracy`) or a namespace (`train/accuracy`, as TensorBoard tags are
 * written). A name the table does not know has no direction: nothing marks it best, rather than a guess.
 */
export type Better = 'max' | 'min';

export interface MetricInfo {
  better: Better;
  unit: string;
  label: string;
  /**
   * A running total (bytes sent so far, privacy spent so far): runs compare by it, but a run's best over
   * its epochs would only be its first, so a run records no best of it.
   */
  cumulative?: true;
  /**
   * A property of the model alone (its size, sparsity, compression ratio, latency): the same whatever data
   * the run was trained or scored on, so runs on different data still rank by it (core/dashboard/conditions.ts).
   */
  model?: true;
  /**
   * The part of the data it is measured on, where the name says (its split prefix: `val_loss`) or the
   * metric always is (a robust accuracy: the test points attacked); undefined where it is not known.
   */
  part?: Part;
}

export type Part = 'train' | 'val' | 'test';

const BASE: Record<string, MetricInfo> = {
  loss: { better: 'min', unit: 'loss', label: 'loss' },
  accuracy: { better: 'max', unit: 'fraction', label: 'accuracy' },
  acc: { better: 'max', unit: 'fraction', label: 'accuracy' },
  mse: { better: 'min', unit: 'target units²', label: 'MSE' },
  mae: { better: 'min', unit: 'target units', label: 'MAE' },
  rmse: { better: 'min', unit: 'target units', label: 'RMSE' },
  penalty: { better: 'min', unit: 'loss', label: 'penalty' },
  error: { better: 'min', unit: 'fraction', label: 'error' },
  auc: { better: 'max', unit: 'fraction', label: 'AUC' },
  precision: { better: 'max', unit: 'fraction', label: 'precision' },
  recall: { better: 'max', unit: 'fraction', label: 'recall' },
  f1: { better: 'max', unit: 'fraction', label: 'F1' },
  // Not a share: R² is 1 at best and unbounded below (a model worse than the mean is negative).
  r2: { better: 'max', unit: 'score', label: 'R²' },
  perplexity: { better: 'min', unit: 'ratio', label: 'perplexity' },
  // Compression (core/compress/report.ts defines each): sizes, ratios to dense float32, latency, sparsity.
  params: { better: 'min', unit: 'count', label: 'parameters', model: true },
  params_nonzero: { better: 'min', unit: 'count', label: 'nonzero parameters', model: true },
  sparsity: { better: 'max', unit: 'fraction', label: 'sparsity', model: true },
  dense_bytes: { better: 'min', unit: 'bytes', label: 'dense float32 size', model: true },
  float32_bytes: { better: 'min', unit: 'bytes', label: 'float32 size', model: true },
  tfjs_bytes: { better: 'min', unit: 'bytes', label: 'TF.js size', model: true },
  tfjs_gzip_bytes: { better: 'min', unit: 'bytes', label: 'TF.js gzip size', model: true },
  packed_bytes: { better: 'min', unit: 'bytes', label: 'packed size', model: true },
  compression_ratio: { better: 'max', unit: 'ratio', label: 'compression ratio (packed)', model: true },
  float32_ratio: { better: 'max', unit: 'ratio', label: 'compression ratio (float32)', model: true },
  tfjs_ratio: { better: 'max', unit: 'ratio', label: 'compression ratio (TF.js)', model: true },
  tfjs_gzip_ratio: { better: 'max', unit: 'ratio', label: 'compression ratio (TF.js gzip)', model: true },
  latency_b1_ms: { better: 'min', unit: 'ms', label: 'latency, batch 1', model: true },
  latency_b256_ms: { better: 'min', unit: 'ms', label: 'latency, batch 256', model: true },
  latency_b1_ms_before: { better: 'min', unit: 'ms', label: 'latency before compression, batch 1', model: true },
  latency_b256_ms_before: { better: 'min', unit: 'ms', label: 'latency before compression, batch 256', model: true },
  // test_accuracy_before etc.: the split prefix is read first (`test_`), then these bases.
  accuracy_before: { better: 'max', unit: 'fraction', label: 'accuracy before compression' },
  loss_before: { better: 'min', unit: 'loss', label: 'loss before compression' },
  mse_before: { better: 'min', unit: 'target units²', label: 'MSE before compression' },
  // Adversarial robustness (core/robust/metrics.ts): `eps_0.3/robust_accuracy` and `apgd-ce/attack_success` are namespaced.
  robust_accuracy: { better: 'max', unit: 'fraction', label: 'robust accuracy', part: 'test' },
  robust_accuracy_low: { better: 'max', unit: 'fraction', label: 'robust accuracy (95% CI low)', part: 'test' },
  robust_accuracy_high: { better: 'max', unit: 'fraction', label: 'robust accuracy (95% CI high)', part: 'test' },
  clean_accuracy: { better: 'max', unit: 'fraction', label: 'clean accuracy', part: 'test' },
  attack_success: { better: 'min', unit: 'fraction', label: 'attack success rate', part: 'test' },
  red_flags: { better: 'min', unit: 'count', label: 'red flags' },
  // Federated runs (engine/federated): per round, the global model on the sampled clients' own data,
  // what crossed the network, and the privacy spent so far.
  client_accuracy_mean: { better: 'max', unit: 'fraction', label: 'client accuracy (mean)' },
  client_accuracy_min: { better: 'max', unit: 'fraction', label: 'client accuracy (worst client)' },
  client_accuracy_std: { better: 'min', unit: 'fraction', label: 'client accuracy spread (std)' },
  upload_bytes: { better: 'min', unit: 'bytes', label: 'uploaded this round' },
  download_bytes: { better: 'min', unit: 'bytes', label: 'downloaded this round' },
  upload_bytes_total: { better: 'min', unit: 'bytes', label: 'uploaded in total', cumulative: true },
  download_bytes_total: { better: 'min', unit: 'bytes', label: 'downloaded in total', cumulative: true },
  epsilon: { better: 'min', unit: 'dp-eps', label: 'privacy ε', cumulative: true },
  late_clients: { better: 'min', unit: 'count', label: 'clients past the round deadline' },
  // With federated.averageRounds > 1 the run's model is a mean over rounds; `test_accuracy_latest` etc. score the latest global model.
  accuracy_latest: { better: 'max', unit: 'fraction', label: 'accuracy of the latest global model' },
  loss_latest: { better: 'min', unit: 'loss', label: 'loss of the latest global model' },
  mse_latest: { better: 'min', unit: 'target units²', label: 'MSE of the latest global model' },
};

/** Split prefixes Hone and Keras write (`val_loss`), and the split each names. */
const SPLITS: Record<string, string> = { val_: 'val', validation_: 'val', test_: 'test', train_: 'train', epoch_: '' };
const PARTS: readonly Part[] = ['train', 'val', 'test'];

/** Splits a name into its split (if any) and base: `val_accuracy` -> ['val', 'accuracy']; `train/loss` -> ['train', 'loss']. */
function parse(name: string): { split?: string; base: string } {
  const slash = name.lastIndexOf('/');
  if (slash >= 0) {
    const inner = parse(name.slice(slash + 1));
    return { split: inner.split ?? name.slice(0, slash), base: inner.base };
  }
  const prefix = Object.keys(SPLITS).find((p) => name.startsWith(p) && name.length > p.length);
  return prefix ? { split: SPLITS[prefix] || undefined, base: name.slice(prefix.length) } : { base: name };
}

/** The metric's meaning, or undefined for a name the registry does not know. */
export function metricInfo(name: string): MetricInfo | undefined {
  const { split, base } = parse(name);
  const info = BASE[base];
  if (!info) return undefined;
  if (!split) return info;
  const part = PARTS.find((p) => p === split) ?? info.part;
  return { ...info, label: `${split} ${info.label}`, ...(part ? { part } : {}) };
}

/** `max`, `min`, or undefined when the metric is unknown. */
export const betterOf = (name: string): Better | undefined => metricInfo(name)?.better;

/** Whether `a` is better than `b` for `metric` (false for unknown metrics: no order is claimed). */
export function isBetter(metric: string, a: number, b: number): boolean {
  const better = betterOf(metric);
  return better === 'max' ? a > b : better === 'min' ? a < b : false;
}

/**
 * Folds one step's metrics into each metric's best value so far (in place): finite values only, and
 * only metrics whose direction the registry knows and that are not running totals. What a run records as `best`, however it was made.
 */
export function updateBest(best: Record<string, number>, metrics: Record<string, number>): void {
  for (const [k, v] of Object.entries(metrics)) {
    if (!Number.isFinite(v) || betterOf(k) === undefined || metricInfo(k)?.cumulative) continue;
    if (!(k in best) || isBetter(k, v, best[k])) best[k] = v;
  }
}
