/**
 * One watched run's metrics.jsonl as the dashboard streams it: where the last read stopped, and the
 * downsampled series so far. A file that shrank or was replaced (`hone resume` and "Resume Run" rewrite
 * it without the lines after the checkpoint) is read again from the start, and every series it had is
 * sent again from point 0, so the webview drops the points that are gone.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { METRICS_FILE, readMetrics } from '../store';
import type { MetricLine } from '../store/types';
import { newSampler, pushPoint, takePatch, type Sampler } from './downsample';
import type { SeriesMessage } from './protocol';

/** The learning rate is drawn as a series too: schedules are hyperparameters worth seeing. */
const LR = 'lr';

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

  constructor(private readonly runId: string, private readonly runDir: string, private readonly maxPoints: number) {}

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
    const { lines, nextByte } = readMetrics(this.runDir, this.offset);
    this.offset = nextByte;
    for (const line of lines) this.push(line);
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
    this.sample(LR, line, line.lr);
    this.lines += 1;
  }

  private sample(name: string, line: MetricLine, y: number): void {
    let s = this.samplers.get(name);
    if (!s) this.samplers.set(name, (s = newSampler(this.maxPoints)));
    pushPoint(s, { i: s.count, step: line.step, epoch: line.epoch, time: line.time, y });
  }
}
