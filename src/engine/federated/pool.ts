import { spawn, type ChildProcess } from 'node:child_process';
import type { BackendReport } from '../../core/store/types';
import { FED_CLIENT_FLAG, type ClientInit, type ClientResult, type ClientTask, type FromClient, type ToClient } from './protocol';
import type { ClientRunner } from './runner';

interface Job {
  task: ClientTask;
  skip?: () => boolean;
  resolve: (r: ClientResult | undefined) => void;
  reject: (e: Error) => void;
}

interface Slot {
  child: ChildProcess;
  index: number;
  job?: Job;
  stderr: string;
  onReady?: (m: FromClient) => void;
}

export interface PoolOptions {
  /** The bundled worker script (dist/worker.js): started as `node <script> --fed-client <runDir>`. */
  script: string;
  runDir: string;
  count: number;
  init: ClientInit;
  log: (text: string) => void;
}

/**
 * Client worker processes, each one model on its own backend and thread count, fed tasks as they
 * become free (a round's clients spread over the workers in order). Children of the coordinator, in its
 * process group, with an IPC channel: when the coordinator dies, however, they see the channel close and
 * exit. A worker that dies while the pool is open fails every task in flight and every later one.
 */
export class ProcessPool implements ClientRunner {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private failure?: Error;
  private closing = false;

  private constructor(private readonly o: PoolOptions) {}

  /** Starts the workers and waits until each has its backend and model; returns the first one's backend. */
  static async start(o: PoolOptions): Promise<{ pool: ProcessPool; backend: BackendReport }> {
    const pool = new ProcessPool(o);
    const ready = Array.from({ length: o.count }, (_, i) => pool.spawnWorker(i));
    try {
      const backends = await Promise.all(ready);
      return { pool, backend: backends[0] };
    } catch (e) {
      await pool.close();
      throw e;
    }
  }

  private spawnWorker(index: number): Promise<BackendReport> {
    const child = spawn(process.execPath, [this.o.script, FED_CLIENT_FLAG, this.o.runDir], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], serialization: 'advanced' });
    const slot: Slot = { child, index, stderr: '' };
    this.slots.push(slot);
    child.stderr?.on('data', (b: Buffer) => (slot.stderr = (slot.stderr + b.toString()).slice(-2000)));
    child.on('message', (m: FromClient) => this.onMessage(slot, m));
    child.on('exit', (code, signal) => this.onExit(slot, code, signal));
    return new Promise((resolve, reject) => {
      slot.onReady = (m) => (m.type === 'ready' ? resolve(m.backend) : reject(new Error(`client worker ${index}: ${m.type === 'error' ? m.message : 'exited before it was ready'}`)));
      this.send(slot, { type: 'init', init: this.o.init });
    });
  }

  private send(slot: Slot, m: ToClient): void {
    if (slot.child.connected) slot.child.send(m);
  }

  private onMessage(slot: Slot, m: FromClient): void {
    if (m.type === 'log') return this.o.log(`client worker ${slot.index}: ${m.text}`);
    if (slot.onReady) {
      const ready = slot.onReady;
      slot.onReady = undefined;
      return ready(m);
    }
    const job = slot.job;
    slot.job = undefined;
    if (m.type === 'result') job?.resolve(m.result);
    else if (m.type === 'error') job?.reject(new Error(`client ${job.task.client} in round ${job.task.round}: ${m.message}`));
    this.dispatch();
  }

  private onExit(slot: Slot, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.closing) return;
    const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
    const e = new Error(`client worker ${slot.index} (pid ${slot.child.pid}) ${how}${slot.stderr ? `: ${slot.stderr.trim()}` : ''}`);
    this.failure ??= e;
    slot.onReady?.({ type: 'error', message: e.message });
    slot.job?.reject(e);
    slot.job = undefined;
    for (const job of this.queue.splice(0)) job.reject(e);
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (slot.job || slot.onReady || !slot.child.connected) continue;
      let job = this.queue.shift();
      while (job?.skip?.()) {
        job.resolve(undefined);
        job = this.queue.shift();
      }
      if (!job) return;
      slot.job = job;
      this.send(slot, { type: 'task', task: job.task });
    }
  }

  run(task: ClientTask, skip?: () => boolean): Promise<ClientResult | undefined> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.queue.push({ task, skip, resolve, reject });
      this.dispatch();
    });
  }

  async cancel(task: ClientTask): Promise<boolean> {
    const i = this.queue.findIndex((j) => j.task === task);
    if (i >= 0) this.queue.splice(i, 1)[0].resolve(undefined);
    return i >= 0;
  }

  /**
   * Asks every worker to exit, and kills those still there after 5 s. Work not done yet fails with
   * "closed": a worker told to exit never answers it, and its caller (a round, an agent's job) would
   * wait for ever.
   */
  async close(): Promise<void> {
    this.closing = true;
    const closed = new Error('the client worker pool was closed before this client trained');
    this.failure ??= closed;
    for (const slot of this.slots) {
      slot.job?.reject(closed);
      slot.job = undefined;
    }
    for (const job of this.queue.splice(0)) job.reject(closed);
    await Promise.all(this.slots.map(({ child }) => new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      child.once('exit', () => (clearTimeout(timer), resolve()));
      if (child.connected) child.send({ type: 'exit' } satisfies ToClient, () => child.disconnect());
      else child.kill('SIGKILL');
    })));
  }
}
