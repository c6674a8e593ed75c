import { higherIsBetter } from '../../engine/train/early-stopping';
import { lrTagOf } from '../import/convert';
import type { MetricLine } from '../store/types';
import type { ProtocolLine } from './protocol';

/**
 * What an exec run has reported so far, kept the way run.json keeps a training run's results. Fed one
 * parsed protocol line at a time by the supervisor; holds no file and no process.
 */
export class ExecTracker {
  /** Metric lines received. */
  count = 0;
  epochsDone = 0;
  /** The last line's metrics. */
  latest: Record<string, number> = {};
  /** Each metric's last value (a metric logged only once, at the end, stays). */
  final: Record<string, number> = {};
  /** Each metric's best finite value: max where `higherIsBetter`, else min (Hone's rule everywhere). */
  best: Record<string, number> = {};
  params: Record<string, unknown> = {};
  /** Artifact paths as given, in order, each once. */
  artifacts: string[] = [];

  /**
   * Takes one line's content; returns the metrics.jsonl line it makes, if it carried metrics. `epoch` is
   * the line's own or the running count of metric lines; `step` the line's own or the epoch; `lr` the
   * value of a metric named like a learning rate (`lr`, `learning_rate`, `train/lr`), else 0.
   */
  apply(line: ProtocolLine, timeSec: number): MetricLine | undefined {
    if (line.params) Object.assign(this.params, line.params);
    if (line.artifact && !this.artifacts.includes(line.artifact)) this.artifacts.push(line.artifact);
    const m = line.metrics;
    if (!m) return undefined;
    this.count++;
    const epoch = m.epoch ?? this.count;
    this.epochsDone = Math.max(this.epochsDone, epoch);
    this.latest = m.values;
    for (const [k, v] of Object.entries(m.values)) {
      this.final[k] = v;
      if (Number.isFinite(v) && (!(k in this.best) || (higherIsBetter(k) ? v > this.best[k] : v < this.best[k]))) this.best[k] = v;
    }
    const lrTag = lrTagOf(Object.keys(m.values).sort());
    return {
      epoch, step: m.step ?? epoch, time: Math.round(timeSec * 1000) / 1000,
      lr: lrTag === undefined ? 0 : m.values[lrTag], metrics: m.values, tensors: 0,
    };
  }
}
