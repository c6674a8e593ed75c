import { updateBest } from '../metrics';
import { dict } from '../store/index-file';
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
 * recorded). `lr` is the learning-rate tag's value at that step, else its last earlier value, else NaN:
 * no learning rate is known there, and 0 would be drawn as a schedule stuck at 0.
 * `final` is each tag's value at its last step; `best` its best by the metric registry (`updateBest`):
 * finite values of tags whose direction is known (`loss`, `train/accuracy`, `epoch_loss`...).
 */
export function toMetricLines(points: ScalarPoint[], firstWall = 0): Converted {
  // Tags become keys: they are kept in Maps (and a prototype-less `dict` for updateBest's `in`), and made
  // into objects by `fromEntries`, which defines keys rather than assigning them: a tag named `__proto__`
  // is a key like any other, where `obj[tag] = value` would have set the object's prototype instead.
  const steps = new Map<number, { wall: number; metrics: Map<string, number> }>();
  for (const p of points) {
    const s = steps.get(p.step) ?? { wall: p.wallTime, metrics: new Map<string, number>() };
    s.wall = Math.max(s.wall, p.wallTime);
    s.metrics.set(p.tag, p.value);
    steps.set(p.step, s);
  }
  const tags = [...new Set(points.map((p) => p.tag))].sort();
  const lrTag = lrTagOf(tags);
  const final = new Map<string, number>();
  const best = dict<number>();
  let lr = NaN;
  const lines = [...steps.entries()].sort(([a], [b]) => a - b).map(([step, s], i): MetricLine => {
    const metrics = Object.fromEntries(s.metrics);
    for (const [tag, value] of s.metrics) final.set(tag, value);
    updateBest(best, metrics);
    if (lrTag !== undefined && s.metrics.has(lrTag)) lr = s.metrics.get(lrTag)!;
    return { epoch: i + 1, step, time: firstWall > 0 ? Math.max(0, micros(s.wall - firstWall)) : 0, lr, metrics, tensors: 0 };
  });
  return { lines, tags, final: Object.fromEntries(final), best: Object.fromEntries(Object.entries(best)), ...(lrTag ? { lrTag } : {}) };
}
