import { updateBest } from '../metrics';
import type { MetricLine } from '../store/types';
import type { ScalarPoint } from './logdir';

/** A run's scalars as Hone keeps them: one metric line per step, and each tag's last and best value. */
export interface Converted {
  lines: MetricLine[];
  tags: string[];
  final: Record<string, number>;
  best: Record<string, number>;
  /** The tag copied into each line's `lr`, if any. */
  lrTag?: string;
}

// `lr`, `learning_rate`, `train/lr`, Keras' `epoch_learning_rate`.
const LR_TAG = /(^|[/_-])(lr|learning_rate)$/i;

/** The tag named `lr` or `learning_rate` itself, else the first (in sorted order) named like one (`base_lr` after `lr`). */
export const lrTagOf = (tags: string[]): string | undefined => tags.find((t) => /^(lr|learning_rate)$/i.test(t)) ?? tags.find((t) => LR_TAG.test(t));

// Wall times are doubles around 1.7e9 s: their differences carry noise below a microsecond.
const micros = (s: number) => Math.round(s * 1e6) / 1e6;

/**
 * Groups `points` by step (ascending) into metric lines: `epoch` counts the steps from 1, `step` is the
 * TensorBoard step, `time` the latest wall time at that step minus `firstWall`, `metrics` every tag's
 * value at that step (tags as written; a later point for the same step and tag wins; `readRun` has
 * already dropped the points a restart made stale), `tensors` 0 (not
 * recorded). `lr` is the learning-rate tag's value at that step, else its last earlier value, else 0.
 * `final` is each tag's value at its last step; `best` its best by the metric registry (`updateBest`):
 * finite values of tags whose direction is known (`loss`, `train/accuracy`, `epoch_loss`...).
 */
export function toMetricLines(points: ScalarPoint[], firstWall = 0): Converted {
  const steps = new Map<number, { wall: number; metrics: Record<string, number> }>();
  for (const p of points) {
    const s = steps.get(p.step) ?? { wall: p.wallTime, metrics: {} };
    s.wall = Math.max(s.wall, p.wallTime);
    s.metrics[p.tag] = p.value;
    steps.set(p.step, s);
  }
  const tags = [...new Set(points.map((p) => p.tag))].sort();
  const lrTag = lrTagOf(tags);
  const final: Record<string, number> = {};
  const best: Record<string, number> = {};
  let lr = 0;
  const lines = [...steps.entries()].sort(([a], [b]) => a - b).map(([step, s], i): MetricLine => {
    Object.assign(final, s.metrics);
    updateBest(best, s.metrics);
    if (lrTag !== undefined && lrTag in s.metrics) lr = s.metrics[lrTag];
    return { epoch: i + 1, step, time: firstWall > 0 ? Math.max(0, micros(s.wall - firstWall)) : 0, lr, metrics: s.metrics, tensors: 0 };
  });
  return { lines, tags, final, best, ...(lrTag ? { lrTag } : {}) };
}
