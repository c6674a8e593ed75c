/**
 * One watched run's metrics.jsonl as the dashboard streams it: where the last read stopped, and the
 * downsampled series so far. A file that shrank or was replaced (`hone resume` and "Resume Run" rewrite
 * it without the lines after the checkpoint) is read again from the start, and every series it had is
 * sent again from point 0, so the webview drops the points that are gone. A read from the start takes
 * the lines from the metrics cache (store/metrics-cache.ts), parsing only those it lacks; later reads
 * parse the lines appended since.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { METRICS_FILE, readMetricColumns, readMetrics, type MetricColumn, type MetricColumns } from '../store';
import type { MetricLine } from '../store/types';
import { newSampler, pushPoint, samplerOf, takePatch, type Sampler } from './downsample';
import type { SeriesMessage } from './protocol';

/**
 * The learning rate is drawn as a series too: schedules are hyperparameters worth seeing. A line's `lr` is
 * NaN where none is known (exec and imported runs that report none): such lines add no point, so a run
 * without a learning rate has no `lr` series rather than one stuck at 0 or NaN.
 */
const LR = 'lr';
const knownLr = (lr: number) => !Number.isNaN(lr);

/** The file's identity and length, or undefined while it does not exist. */
function stamp(file: string): { ino: number; size: number } | undefined {
  try {
    const s = statSync(file);
    return { ino: s.ino, size: s.size };
  } catch {
    return undefined;
  }
}

export class SeriesTail {
  private offset = 0;
  private lines = 0;
  private ino?: number;
  private samplers = new Map<string, Sampler>();

  /** `writeCache`: whether a read from the start may write the run's metrics cache (not in a read-only store). */
  constructor(private readonly runId: string, private readonly runDir: string, private readonly maxPoints: number, private readonly writeCache = true) {}

  /** Reads the new metric lines (from the byte offset, or from 0 after a rewrite) and returns the patches. */
  read(): SeriesMessage {
    const now = stamp(join(this.runDir, METRICS_FILE));
    const rewritten = this.offset > 0 && (!now || now.size < this.offset || (this.ino !== undefined && now.ino !== this.ino));
    const gone = rewritten ? [...this.samplers.keys()] : [];
    if (rewritten) {
      this.offset = 0;
      this.lines = 0;
      this.samplers = new Map();
    }
    this.ino = now?.ino;
    if (this.offset === 0) {
      const columns = readMetricColumns(this.runDir, this.writeCache);
      this.offset = columns.nextByte;
      this.pushColumns(columns);
    } else {
      const { lines, nextByte } = readMetrics(this.runDir, this.offset);
      this.offset = nextByte;
      for (const line of lines) this.push(line);
    }
    const metrics: SeriesMessage['metrics'] = {};
    // A series the rewritten file no longer has is emptied; the others are replaced whole (`from` 0).
    for (const name of gone) metrics[name] = { from: 0, step: [], epoch: [], time: [], y: [] };
    for (const [name, s] of this.samplers) {
      const patch = takePatch(s);
      if (patch) metrics[name] = patch;
    }
    return { type: 'series', runId: this.runId, lines: this.lines, metrics };
  }

  private push(line: MetricLine): void {
    for (const name in line.metrics) this.sample(name, line, line.metrics[name]);
    if (knownLr(line.lr)) this.sample(LR, line, line.lr);
    this.lines += 1;
  }

  /**
   * Samples a whole file's columns (a read from the start, so no samplers yet), into the samplers and in
   * the order that pushing its lines one by one makes: by the row where each series starts; the learning
   * rate where its metric `lr` starts, or else after the metrics of the row of its first known `lr`.
   */
  private pushColumns(c: MetricColumns): void {
    if (!c.lines) return;
    const firstRow = (name: string) => c.metrics.get(name)!.rows?.[0] ?? 0;
    const lr = lrSeries(c, c.metrics.get(LR));
    const lrLine = c.lr.findIndex(knownLr);
    // The map holds the metrics in order of first appearance, a metric `lr` among them.
    const metricFirst = c.metrics.has(LR) && (lrLine < 0 || firstRow(LR) <= lrLine);
    const names = [...c.metrics.keys()].filter((name) => name !== LR || metricFirst);
    if (lr && !metricFirst) {
      const after = names.findIndex((name) => firstRow(name) > lrLine);
      names.splice(after < 0 ? names.length : after, 0, LR);
    }
    for (const name of names) {
      const m = name === LR ? lr! : c.metrics.get(name)!;
      this.samplers.set(name, samplerOf(m.values, c, m.rows, this.maxPoints));
    }
    this.lines += c.lines;
  }

  private sample(name: string, x: Pick<MetricLine, 'step' | 'epoch' | 'time'>, y: number): void {
    let s = this.samplers.get(name);
    if (!s) this.samplers.set(name, (s = newSampler(this.maxPoints)));
    pushPoint(s, { i: s.count, step: x.step, epoch: x.epoch, time: x.time, y });
  }
}

/**
 * The learning rate's series: every line's known `lr`, after the line's metric named `lr` where there is
 * one (an imported TensorBoard `lr` tag), in the order `push` samples them; undefined when there is none.
 */
function lrSeries(c: MetricColumns, metric?: MetricColumn): MetricColumn | undefined {
  const rows: number[] = [];
  const values: number[] = [];
  for (let r = 0, k = 0; r < c.lines; r++) {
    if (metric && k < metric.values.length && (metric.rows?.[k] ?? k) === r) rows.push(r), values.push(metric.values[k++]);
    if (knownLr(c.lr[r])) rows.push(r), values.push(c.lr[r]);
  }
  return values.length ? { rows: Float64Array.from(rows), values: Float64Array.from(values) } : undefined;
}
