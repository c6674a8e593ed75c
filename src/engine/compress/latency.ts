/**
 * Inference latency as a user of the saved model meets it: `predict` on a batch, waiting for the values,
 * on the backend the run uses. Models compared are timed in alternation (one call of each per round,
 * after warm-up calls of each), so a busy moment of a shared machine falls on all of them alike; the
 * figure is the median of `runs` rounds.
 */
import * as tf from '@tensorflow/tfjs';

export interface LatencyConfig {
  warmup: number;
  runs: number;
}

export interface Latency {
  batch: number;
  medianMs: number;
  minMs: number;
  runs: number;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Latency of each of `models` on batches of `batch` random inputs of `inputShape` (one sample's shape). */
export async function measureLatency(models: tf.LayersModel[], inputShape: number[], batch: number, c: LatencyConfig): Promise<Latency[]> {
  const x = tf.randomNormal([batch, ...inputShape], 0, 1, 'float32', 1);
  const once = async (m: tf.LayersModel): Promise<number> => {
    const t0 = performance.now();
    const y = m.predict(x) as tf.Tensor;
    await y.data();
    y.dispose();
    return performance.now() - t0;
  };
  try {
    for (const m of models) for (let i = 0; i < c.warmup; i++) await once(m);
    const times = models.map((): number[] => []);
    for (let r = 0; r < c.runs; r++) for (let i = 0; i < models.length; i++) times[i].push(await once(models[i]));
    return times.map((t) => ({ batch, medianMs: median(t), minMs: Math.min(...t), runs: c.runs }));
  } finally {
    x.dispose();
  }
}
