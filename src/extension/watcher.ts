import { existsSync, watch, type FSWatcher } from 'node:fs';

/**
 * Calls `onChange` (debounced) when anything in the store changes: an fs.watch on the store folder
 * where the platform supports it, plus a slow poll that also notices a store created after start-up,
 * a changed store setting, and runs whose worker died (no file event for that).
 */
export class StoreWatcher {
  private watcher?: FSWatcher;
  private watched?: string;
  private timer?: NodeJS.Timeout;
  private readonly poll: NodeJS.Timeout;

  constructor(private readonly storeDir: () => string, private readonly onChange: () => void, pollMs = 3000, private readonly debounceMs = 250) {
    this.poll = setInterval(() => this.tick(), pollMs);
    this.tick();
  }

  private tick(): void {
    const dir = this.storeDir();
    if (dir !== this.watched || !this.watcher) this.attach(dir);
    this.changed();
  }

  private attach(dir: string): void {
    this.watcher?.close();
    this.watcher = undefined;
    this.watched = dir;
    if (!existsSync(dir)) return;
    try {
      // The index and its lock change whenever anyone (this view included) reads the store through the
      // index; the run folders are what the view shows.
      this.watcher = watch(dir, { recursive: true }, (_event, file) => !/(^|\/)\.?index\.(json|lock)/.test(String(file)) && this.changed());
      this.watcher.on('error', () => (this.watcher = undefined));
    } catch {
      // No recursive watching here: the poll alone keeps the view current.
    }
  }

  private changed(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.onChange();
    }, this.debounceMs);
  }

  dispose(): void {
    clearInterval(this.poll);
    clearTimeout(this.timer);
    this.watcher?.close();
  }
}
