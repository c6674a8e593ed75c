/**
 * What a compressed run leaves beside its model, and the metrics it reports. `compress.json` in the run
 * folder holds the whole account (CompressReport); the metrics (compressMetrics) go to run.json's `final`
 * and the last line of metrics.jsonl under the stable names of COMPRESS_METRICS.
 *
 * Size definitions (all in bytes; "model" means the saved model with Hone's preprocessing layers):
 * - `dense_bytes`: the uncompressed model's weights as dense float32, 4 x its weight count: the
 *   baseline every ratio divides (in a chain of compressions, the first model's). Like every size here
 *   it counts the saved model, so Hone's input normalisation is in it: 4 x features constants with
 *   `normalize: standard` (kept as they are by every compression), none with `scale` or `none`;
 * - `float32_bytes`: the compressed model's weights as dense float32 (4 x params; smaller only when
 *   structured pruning removed weights);
 * - `tfjs_bytes`: model/model.json + model/weights.bin as written (float32, or uint8/float16 weights in
 *   the TF.js manifest when the weights allow it exactly), what plain tf.loadLayersModel fetches;
 * - `tfjs_gzip_bytes`: the same two files each gzip'd at level 9 (as a server sends them);
 * - `packed_bytes`: the size of model.hone, Hone's packed format, everything needed to rebuild the model;
 * - `*_ratio`: dense_bytes divided by each; `compression_ratio` is the packed one.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const COMPRESS_FILE = 'compress.json';
export const PACKED_FILE = 'model.hone';

export interface Sizes {
  params: number;
  nonzero: number;
  float32Bytes: number;
  tfjsBytes: number;
  tfjsGzipBytes: number;
  packedBytes?: number;
}

/** Median milliseconds per `predict` at batch 1 and 256 (the metrics), and the fastest call of each. */
export interface LatencyReport {
  b1Ms: number;
  b256Ms: number;
  b1MinMs: number;
  b256MinMs: number;
}

export interface LayerReport {
  name: string;
  shape: number[];
  params: number;
  nonzero: number;
  /** Distinct nonzero values (a shared or quantized layer has few). */
  distinct: number;
  /** How model.hone stores its kernel, and in how many bytes. */
  layout: string;
  coding: string;
  packedBytes: number;
  bits?: number;
  clusters?: number;
}

export interface SensitivityReport {
  split: 'val' | 'test';
  metric: string;
  base: number;
  rows: { layer: string; technique: 'prune' | 'quantize'; level: number; value: number; drop: number }[];
}

export interface CompressReport {
  version: 1;
  /** The TF.js backend the latencies were measured on, and how. */
  backend: string;
  latencyMethod: { warmup: number; runs: number; statistic: 'median' };
  denseBytes: number;
  before: Sizes & { latency?: LatencyReport; metrics: Record<string, number> };
  after: Sizes & { packedBytes: number; sparsity: number; latency?: LatencyReport; metrics: Record<string, number> };
  /** Which epochs (metric lines) each stage trained. */
  stages: { stage: string; firstEpoch: number; lastEpoch: number }[];
  layers: LayerReport[];
  /** Largest |difference| between the predictions of model/ and of model.hone decoded, over `samples` inputs. */
  roundTrip: { maxAbsDiff: number; samples: number };
  sensitivity?: SensitivityReport;
}

/** Final metric names a compressed run records (besides loss/accuracy/val_/test_ ones). */
export const COMPRESS_METRICS = [
  'params', 'params_nonzero', 'sparsity', 'dense_bytes', 'float32_bytes', 'tfjs_bytes', 'tfjs_gzip_bytes', 'packed_bytes',
  'compression_ratio', 'float32_ratio', 'tfjs_ratio', 'tfjs_gzip_ratio', 'latency_b1_ms', 'latency_b256_ms',
  'latency_b1_ms_before', 'latency_b256_ms_before', 'test_accuracy_before', 'test_loss_before', 'test_mse_before',
] as const;

/** The report's numbers under COMPRESS_METRICS names (test metrics before compression get `_before`). */
export function compressMetrics(r: CompressReport): Record<string, number> {
  const a = r.after;
  const before = Object.fromEntries(Object.entries(r.before.metrics).filter(([k]) => k.startsWith('test_')).map(([k, v]) => [`${k}_before`, v]));
  return {
    params: a.params,
    params_nonzero: a.nonzero,
    sparsity: a.sparsity,
    dense_bytes: r.denseBytes,
    float32_bytes: a.float32Bytes,
    tfjs_bytes: a.tfjsBytes,
    tfjs_gzip_bytes: a.tfjsGzipBytes,
    packed_bytes: a.packedBytes,
    compression_ratio: r.denseBytes / a.packedBytes,
    float32_ratio: r.denseBytes / a.float32Bytes,
    tfjs_ratio: r.denseBytes / a.tfjsBytes,
    tfjs_gzip_ratio: r.denseBytes / a.tfjsGzipBytes,
    ...(a.latency ? { latency_b1_ms: a.latency.b1Ms, latency_b256_ms: a.latency.b256Ms } : {}),
    ...(r.before.latency ? { latency_b1_ms_before: r.before.latency.b1Ms, latency_b256_ms_before: r.before.latency.b256Ms } : {}),
    ...before,
  };
}

/** A run folder's compress.json, or undefined when it has none (or an unreadable one). */
export function readCompressReport(runDir: string): CompressReport | undefined {
  const file = join(runDir, COMPRESS_FILE);
  if (!existsSync(file)) return undefined;
  try {
    const r = JSON.parse(readFileSync(file, 'utf8'));
    return r?.version === 1 ? (r as CompressReport) : undefined;
  } catch {
    return undefined;
  }
}
