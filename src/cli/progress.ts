import type { MetricLine } from '../core/store/types';
import { num } from '../core/format';
import { drawControls } from './terminal';

/** Carriage return, then erase the line: the status line is redrawn in place. */
const CLEAR_LINE = '\r\x1b[2K';

const SHOWN = ['loss', 'accuracy', 'mse', 'val_loss', 'val_accuracy', 'val_mse'];

export const metricsText = (m: Record<string, number>): string =>
  SHOWN.filter((k) => m[k] !== undefined).map((k) => `${k}=${num(m[k])}`).join(' ');

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

  epoch(id: string, name: string, line: MetricLine, epochs: number): void {
    const text = metricsText(line.metrics);
    this.state.set(id, { name, epoch: line.epoch, epochs, text });
    if (!this.tty) this.out.write(`${name}: epoch ${line.epoch}/${epochs} ${text} (${line.time.toFixed(1)}s)\n`);
    else this.redraw();
  }

  /** Prints a line above the status line (run started, finished). */
  note(text: string): void {
    if (this.tty) drawControls(this.out, CLEAR_LINE);
    this.out.write(`${text}\n`);
    if (this.tty) this.redraw();
  }

  done(id: string): void {
    this.state.delete(id);
    if (this.tty) this.redraw();
  }

  private redraw(): void {
    const cols = this.out.columns ?? 120;
    const parts = [...this.state.values()].map((s) =>
      this.state.size === 1 ? `${s.name} ${bar(s.epoch, s.epochs)} ${s.epoch}/${s.epochs} ${s.text}` : `${s.name} ${bar(s.epoch, s.epochs, 10)} ${s.epoch}/${s.epochs}`,
    );
    drawControls(this.out, CLEAR_LINE);
    this.out.write(parts.join(' | ').slice(0, cols - 1));
  }
}
