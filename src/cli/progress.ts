import type { MetricLine, RunRecord } from '../core/store/types';
import type { WorkerMessage } from '../core/protocol';
import { selectionMetric } from '../core/spec/selection';
import { num } from '../core/format';
import { drawControls, fitColumns, oneLine } from './terminal';

/** Carriage return, then erase the line: the status line is redrawn in place. */
const CLEAR_LINE = '\r\x1b[2K';

const SHOWN = ['loss', 'accuracy', 'mse', 'val_loss', 'val_accuracy', 'val_mse'];

/** A federated round's line: the clients' local training, then the global model's scores and privacy spent. */
const SHOWN_ROUND = ['loss', 'accuracy', 'val_accuracy', 'test_accuracy', 'epsilon'];

export const metricsText = (m: Record<string, number>, shown = SHOWN): string =>
  shown.filter((k) => m[k] !== undefined).map((k) => `${k}=${num(m[k])}`).join(' ');

/**
 * The metrics of a training run's epoch lines: the usual ones, and the one it keeps its best epoch by
 * (selectionMetric) when that is another, so that "restored the weights of epoch 14 (best X)" can be
 * checked against the lines. Without a spec, the usual ones.
 */
export function shownMetrics(spec?: RunRecord['spec']): string[] {
  const selected = spec && 'train' in spec ? selectionMetric(spec) : undefined;
  return selected && !SHOWN.includes(selected) ? [...SHOWN, selected] : SHOWN;
}

/**
 * The metrics of a compression run's epoch lines (`hone compress`): the usual ones and the kernels'
 * sparsity, which the prune schedule raises epoch by epoch. The retraining has no selection metric to add
 * (it trains without early stopping or adversarial training and keeps its last epoch), so the spec's
 * selectionMetric, which a child of a Fast-AT run would inherit, is not shown: no epoch records it.
 */
export const COMPRESS_SHOWN = [...SHOWN, 'sparsity'];

const bar = (done: number, total: number, width = 20) => {
  const full = Math.round((done / Math.max(1, total)) * width);
  return `[${'#'.repeat(full)}${'-'.repeat(width - full)}]`;
};

/**
 * Progress of the runs of one `hone run`: on a TTY one status line redrawn in place, with a bar per run;
 * elsewhere (CI logs, pipes) one plain line per epoch.
 */
export class Progress {
  private readonly state = new Map<string, { name: string; epoch: number; epochs: number; text: string }>();

  constructor(private readonly out: NodeJS.WriteStream, private readonly tty = Boolean(out.isTTY)) {}

  /** `shown`: the metrics of a training epoch's line (shownMetrics); a federated round's are fixed. */
  epoch(id: string, name: string, line: MetricLine, epochs: number, unit = 'epoch', shown = SHOWN): void {
    const text = metricsText(line.metrics, unit === 'round' ? SHOWN_ROUND : shown);
    this.state.set(id, { name: oneLine(name), epoch: line.epoch, epochs, text });
    if (!this.tty) this.out.write(`${oneLine(name)}: ${unit} ${line.epoch}/${epochs} ${text} (${line.time.toFixed(1)}s)\n`);
    else this.redraw();
  }

  /** Prints a line above the status line (run started, finished); one line, whatever names it holds. */
  note(text: string): void {
    if (this.tty) drawControls(this.out, CLEAR_LINE);
    this.out.write(`${oneLine(text)}\n`);
    if (this.tty) this.redraw();
  }

  done(id: string): void {
    this.state.delete(id);
    if (this.tty) this.redraw();
  }

  /** What a training worker reports while it runs: its backend once started, then each epoch; `spec`: the run's, as in shownMetrics. */
  message(id: string, name: string, m: WorkerMessage, spec?: RunRecord['spec']): void {
    if (m.type === 'started') this.note(`${name}: run ${id} started on ${m.backend.name} (${m.backend.reason})`);
    if (m.type === 'epoch') this.epoch(id, name, m.line, m.epochs, m.unit, shownMetrics(spec));
  }

  /** A run has ended: its line leaves the status bar and one line says how it ended. */
  finish(id: string, name: string, rec: RunRecord): void {
    this.done(id);
    this.note(`${name}: ${rec.status}${rec.message ? ` (${rec.message})` : ''} ${metricsText(rec.final ?? {}, shownMetrics(rec.spec))}`);
  }

  private redraw(): void {
    const cols = this.out.columns ?? 120;
    const parts = [...this.state.values()].map((s) =>
      this.state.size === 1 ? `${oneLine(s.name)} ${bar(s.epoch, s.epochs)} ${s.epoch}/${s.epochs} ${oneLine(s.text)}` : `${oneLine(s.name)} ${bar(s.epoch, s.epochs, 10)} ${s.epoch}/${s.epochs}`,
    );
    drawControls(this.out, CLEAR_LINE);
    // Escaped before it is measured: the terminal guard's escapes would otherwise lengthen it past the edge.
    this.out.write(fitColumns(parts.join(' | '), cols - 1));
  }
}
