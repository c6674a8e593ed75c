/** What Slots needs of a BullMQ Worker. */
export interface Pausable {
  pause(doNotWaitActive?: boolean): Promise<void>;
  resume(): void | Promise<void>;
}

/**
 * An agent's --concurrency shared by all its BullMQ workers (one per queue: runs, commands, federated
 * clients), each of which would otherwise take up to --concurrency jobs by itself. A job holds a slot
 * while it runs. When every slot is taken, the workers that could still fetch (those holding fewer
 * jobs than the limit) pause, so the queue's other agents take the next jobs, and a freed slot resumes
 * them. The worker that holds every slot is left alone: its own concurrency stops it, and a pause would
 * cost it BullMQ's fetch of the next job as the current one completes. A job fetched as a pause began
 * waits for a slot, first come first served: never more than `limit` jobs run at once.
 */
export class Slots {
  private used = 0;
  private readonly waiting: (() => void)[] = [];
  private workers: Pausable[] = [];
  /** Jobs holding a slot, per worker (by its index in `attach`). */
  private held: number[] = [];
  private readonly paused = new Set<number>();
  private closed = false;

  constructor(private readonly limit: number) {}

  /** The workers to pause and resume (all of the agent's), in the order `run` names them. */
  attach(workers: Pausable[]): void {
    this.workers = workers;
    this.held = workers.map(() => 0);
  }

  /** Runs `fn`, a job of worker `lane`, in a slot, waiting for one if all are taken. */
  async run<T>(lane: number, fn: () => Promise<T>): Promise<T> {
    await this.take();
    this.held[lane]++;
    this.sync();
    try {
      return await fn();
    } finally {
      this.held[lane]--;
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

  /** Full: pause each worker that could fetch another job; not full: resume those. */
  private sync(): void {
    if (this.closed) return;
    const full = this.used >= this.limit;
    this.workers.forEach((w, i) => {
      const pause = full && this.held[i] < this.limit;
      if (pause === this.paused.has(i)) return;
      if (pause) this.paused.add(i);
      else this.paused.delete(i);
      void Promise.resolve(pause ? w.pause(true) : w.resume()).catch(() => undefined);
    });
  }
}
