import { updateBest } from '../metrics';
import { lrTagOf } from '../import/convert';
import { dict } from '../store/index-file';
import type { MetricLine } from '../store/types';
import type { ProtocolLine } from './protocol';

/**
 * What an exec run has reported so far, kept the way run.json keeps a training run's results. Fed one
 * parsed protocol line at a time by the supervisor; holds no file and no process. Metric and parameter
 * names are the command's: they are kept in prototype-less maps (`dict`, as import keeps tags), where
 * merging a name such as `__proto__` into a plain object would set its prototype rather than a key.
 */
export class ExecTracker {
  /** Metric lines received. */
  count = 0;
  epochsDone = 0;
  /** The last line's metrics. */
  latest: Record<string, number> = dict();
  /** Each metric's last value (a metric logged only once, at the end, stays). */
  final: Record<string, number> = dict();
  /** Each metric's best finite value, for metrics whose direction the registry knows (`updateBest`). */
  best: Record<string, number> = dict();
  /** Set it with `dict(...)`. */
  params: Record<string, unknown> = dict();
  /** Artifact paths as given, in order, each once. */
  artifacts: string[] = [];

  /**
   * Takes one line's content; returns the metrics.jsonl line it makes, if it carried metrics. `epoch` is
   * the line's own or the running count of metric lines; `step` the line's own or the epoch; `lr` the
   * value of a metric named like a learning rate (`lr`, `learning_rate`, `train/lr`), else NaN (not
   * reported: the dashboard then draws no learning rate, where 0 would look like a schedule).
   */
  apply(line: ProtocolLine, timeSec: number): MetricLine | undefined {
    for (const name of line.unused ?? []) delete this.params[name];
    if (line.params) Object.assign(this.params, line.params);
    if (line.artifact && !this.artifacts.includes(line.artifact)) this.artifacts.push(line.artifact);
    const m = line.metrics;
    if (!m) return undefined;
    this.count++;
    const epoch = m.epoch ?? this.count;
    this.epochsDone = Math.max(this.epochsDone, epoch);
    this.latest = m.values;
    Object.assign(this.final, m.values);
    updateBest(this.best, m.values);
    const lrTag = lrTagOf(Object.keys(m.values).sort());
    return {
      epoch, step: m.step ?? epoch, time: Math.round(timeSec * 1000) / 1000,
      lr: lrTag === undefined ? NaN : m.values[lrTag], metrics: m.values, tensors: 0,
    };
  }
}
