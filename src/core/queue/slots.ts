/** What Slots needs of a BullMQ Worker. */
export interface Pausable {
  pause(doNotWaitActive?: boolean): Promise<void>;
  resume(): void | Promise<void>;
}

/**
 * An agent's --concurrency shared by all its BullMQ workers (one per queue: runs, commands, federated
 * clients), each of which would otherwise take up to --concurrency jobs by itself. A job holds a slot
 * while it runs. When every slot is taken the workers pause (they stop fetching, so the queue's other
 * agents take the next jobs), and a freed slot resumes them. A job fetched as the pause began waits for
 * a slot, first come first served: never more than `limit` jobs run at once.
 *
 * With a single worker its own concurrency is the limit already, so it is never paused.
 */
export class Slots {
  private used = 0;
  private readonly waiting: (() => void)[] = [];
  private workers: Pausable[] = [];
  private paused = false;
  private closed = false;

  constructor(private readonly limit: number) {}

  /** The workers to pause and resume (all of the agent's). */
  attach(workers: Pausable[]): void {
    this.workers = workers;
  }

  /** Runs `fn` in a slot, waiting for one if all are taken. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    await this.take();
    try {
      return await fn();
    } finally {
      this.release();
    }
  }

  /** Stops pausing and resuming (the agent is closing its workers). */
  close(): void {
    this.closed = true;
  }

  /** How many jobs hold a slot now. */
  get running(): number {
    return this.used;
  }

  private take(): Promise<void> {
    if (this.used < this.limit) {
      this.used++;
      this.sync();
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) return next(); // the slot passes to the waiting job
    this.used--;
    this.sync();
  }

  private sync(): void {
    const full = this.used >= this.limit;
    if (this.closed || this.workers.length < 2 || full === this.paused) return;
    this.paused = full;
    for (const w of this.workers) void Promise.resolve(full ? w.pause(true) : w.resume()).catch(() => undefined);
  }
}
