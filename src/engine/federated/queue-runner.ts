/**
 * Client tasks on queue agents: the federated coordinator's ClientRunner when the run was started with
 * `--queue` (the URL reaches it as HONE_FED_QUEUE, never in run.json). Each client's round is one BullMQ
 * job on the `fed` queue; the round's global weights are stored once as a blob, each client's data once
 * per run, and the agent's answer comes back as a blob checked against the task. A job whose agent dies
 * goes back to the queue (BullMQ's stalled-job check) and runs on another agent; the round's deadline
 * (`federated.deadline`) bounds how long a round waits for a slow or silent one.
 */
import { deserialize } from 'node:v8';
import { Job, Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import { bytesOf, dropBlobs, dropRunBlobs, getBlob, putBlob, touchBlobs, type BlobRef } from '../../core/queue/blobs';
import { openQueue } from '../../core/queue/connect';
import type { QueueAddress } from '../../core/queue/url';
import type { Spec } from '../../core/spec/types';
import type { ClientResult, ClientTask } from './protocol';
import { checkClientResult, FED_JOB_VERSION, FED_QUEUE, fedJobId, type FedClientJob, type FedClientReturn } from './remote-job';
import type { ClientRunner } from './runner';

export interface QueueRunnerOptions {
  runId: string;
  spec: Spec;
  data: { inputShape: number[]; classes: number };
  /** The model's tensor sizes, to check the updates that come back. */
  sizes: number[];
  log(text: string): void;
}

interface Pending {
  task: ClientTask;
  /** The error-feedback memory stored for the job, released however the job ends. */
  residual?: BlobRef;
  skip?: () => boolean;
  resolve(r: ClientResult | undefined): void;
  reject(e: Error): void;
}

/** How often pending jobs are checked besides the events (events missed while Redis restarted). */
const POLL_MS = 1000;

export class QueueClientRunner implements ClientRunner {
  private readonly pending = new Map<string, Pending>();
  private readonly checking = new Set<string>();
  private readonly data = new Map<number, Promise<{ x: BlobRef; y: BlobRef }>>();
  private weights?: { round: number; ref: Promise<BlobRef> };
  private readonly perAgent = new Map<string, number>();
  /** Jobs waiting on each error-feedback blob: two clients whose memories are equal share one (blobs are named by digest). */
  private readonly residualUses = new Map<string, number>();
  /** Jobs the round stopped waiting for before the queue had them: removed as soon as it does. */
  private readonly cancelled = new Set<string>();
  private readonly timer: NodeJS.Timeout;

  private constructor(private readonly address: QueueAddress, private readonly redis: Redis, private readonly queue: Queue, private readonly events: QueueEvents, private readonly o: QueueRunnerOptions) {
    events.on('completed', ({ jobId }) => void this.check(jobId));
    events.on('failed', ({ jobId }) => void this.check(jobId));
    this.timer = setInterval(() => this.pending.forEach((_, id) => void this.check(id)), POLL_MS);
  }

  /** Connects (a wrong password or no server: a clear InputError). */
  static async open(address: QueueAddress, o: QueueRunnerOptions): Promise<QueueClientRunner> {
    const { redis, queue, events } = await openQueue(address, FED_QUEUE);
    return new QueueClientRunner(address, redis, queue, events, o);
  }

  async run(task: ClientTask, skip?: () => boolean): Promise<ClientResult | undefined> {
    if (skip?.()) return undefined;
    const id = fedJobId(this.o.runId, task.round, task.client);
    this.cancelled.delete(id);
    const residual = task.residual ? await this.residualOf(task.residual) : undefined;
    const job: FedClientJob = {
      v: FED_JOB_VERSION, type: 'fedClient', runId: this.o.runId, round: task.round, client: task.client, n: task.n,
      spec: this.o.spec, data: this.o.data, byzantine: task.attack !== undefined,
      ...(task.local.maxSteps ? { maxSteps: task.local.maxSteps } : {}),
      blobs: { weights: await this.weightsOf(task), ...(await this.dataOf(task)), ...(residual ? { residual } : {}) },
    };
    // Followed once in the queue: before that, a job the queue does not know is not a lost one.
    return new Promise((resolve, reject) => {
      this.queue.add('client', job, { jobId: id, removeOnComplete: { age: 3600 }, removeOnFail: { age: 24 * 3600 } }).then(
        () => {
          // Cancelled while it was being added: no agent is to train it, and nobody waits for it.
          if (this.cancelled.delete(id)) {
            void this.queue.remove(id).catch(() => undefined);
            this.release(residual);
            return resolve(undefined);
          }
          this.pending.set(id, { task, residual, skip, resolve, reject });
          void this.check(id);
        },
        (e: Error) => {
          this.release(residual);
          reject(new Error(`could not enqueue client ${task.client}: ${e.message}`));
        },
      );
    });
  }

  /** The round's global weights, stored once for all its clients. */
  private weightsOf(task: ClientTask): Promise<BlobRef> {
    if (this.weights?.round !== task.round) {
      // The previous round's weights go: its clients have answered, or were dropped as late.
      // Blobs are named by their digest: weights that did not move (no client reported) are the same blob, kept.
      const previous = this.weights?.ref;
      const next = putBlob(this.redis, this.o.runId, bytesOf(task.weights));
      this.weights = { round: task.round, ref: next };
      void Promise.all([previous, next]).then(([old, now]) => (old && old.sha256 !== now.sha256 ? dropBlobs(this.redis, [old]) : undefined)).catch(() => undefined);
    }
    return this.weights.ref;
  }

  /** A client's error-feedback memory, stored for its job; counted, so that it goes only once every job using it has answered. */
  private async residualOf(residual: Float32Array): Promise<BlobRef> {
    const ref = await putBlob(this.redis, this.o.runId, bytesOf(residual));
    this.residualUses.set(ref.sha256, (this.residualUses.get(ref.sha256) ?? 0) + 1);
    return ref;
  }

  /** One job less waits on an error-feedback memory: the last one drops it (two clients with equal memories share one blob). */
  private release(residual: BlobRef | undefined): void {
    if (!residual) return;
    const left = (this.residualUses.get(residual.sha256) ?? 1) - 1;
    if (left > 0) return void this.residualUses.set(residual.sha256, left);
    this.residualUses.delete(residual.sha256);
    void dropBlobs(this.redis, [residual]).catch(() => undefined);
  }

  /** A client's data, the same every round: stored once per run. */
  private dataOf(task: ClientTask): Promise<{ x: BlobRef; y: BlobRef }> {
    let refs = this.data.get(task.client);
    if (!refs) {
      refs = Promise.all([putBlob(this.redis, this.o.runId, bytesOf(task.x)), putBlob(this.redis, this.o.runId, bytesOf(task.y))]).then(([x, y]) => ({ x, y }));
      this.data.set(task.client, refs);
    } else {
      // Read again this round: their expiry (an hour after the last use) starts over.
      void refs.then(({ x, y }) => touchBlobs(this.redis, [x, y])).catch(() => undefined);
    }
    return refs;
  }

  /** Ends a pending job's wait, however it ended (answered, failed, skipped, late): its memory blob is released. */
  private settle(id: string, how: (p: Pending) => void): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    this.release(p.residual);
    how(p);
  }

  /** Looks at a pending job: a result is fetched and checked, a failure fails the round, a stop drops a waiting job. */
  private async check(id: string): Promise<void> {
    const p = this.pending.get(id);
    // One look at a time per job: an event and the poll may ask together.
    if (!p || this.checking.has(id)) return;
    this.checking.add(id);
    try {
      const state = await this.queue.getJobState(id);
      if (state === 'completed') {
        const job = await Job.fromId<FedClientJob, FedClientReturn>(this.queue, id);
        if (!job || !this.pending.has(id)) return;
        const ret = job.returnvalue;
        const result = checkClientResult(deserialize(await getBlob(this.redis, ret.result, `client ${p.task.client}'s update`)) as ClientResult, p.task, this.o.sizes);
        // Read: the update is no longer needed (settle releases the error-feedback memory sent with the task).
        void dropBlobs(this.redis, [ret.result]).catch(() => undefined);
        const seen = this.perAgent.get(ret.agent) ?? 0;
        if (!seen) this.o.log(`queue agent ${ret.agent} (${ret.backend}) trains clients`);
        this.perAgent.set(ret.agent, seen + 1);
        return this.settle(id, (x) => x.resolve(result));
      }
      if (state === 'failed') {
        const job = await Job.fromId(this.queue, id);
        return this.settle(id, (x) => x.reject(new Error(`client ${p.task.client} in round ${p.task.round}: ${job?.failedReason ?? 'failed on its agent'}`)));
      }
      if (state === 'unknown') return this.settle(id, (x) => x.reject(new Error(`client ${p.task.client}'s job is no longer in the queue ${this.address.redacted}`)));
      if (state !== 'active' && p.skip?.() && (await this.queue.remove(id)) === 1) this.settle(id, (x) => x.resolve(undefined));
    } catch (e) {
      // Redis unreachable (restarting) or a result that fails its checks: the first is retried by the poll.
      if (!/ECONNREFUSED|ETIMEDOUT|Connection is closed|ECONNRESET/.test((e as Error).message)) this.settle(id, (x) => x.reject(e as Error));
    } finally {
      this.checking.delete(id);
    }
  }

  /** The round stopped waiting for this task (its deadline passed): drop it from the queue if no agent took it. */
  async cancel(task: ClientTask): Promise<boolean> {
    const id = fedJobId(this.o.runId, task.round, task.client);
    if (!this.pending.has(id)) this.cancelled.add(id);
    this.settle(id, (p) => p.resolve(undefined));
    try {
      // Only a job no agent has taken is never downloaded: one taken since the look stays (remove answers 0).
      const waiting = ['waiting', 'delayed', 'prioritized'].includes(await this.queue.getJobState(id));
      return (await this.queue.remove(id)) === 1 && waiting;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    if (this.perAgent.size) this.o.log(`clients trained per queue agent: ${[...this.perAgent].map(([a, n]) => `${a} ${n}`).join(', ')}`);
    for (const id of [...this.pending.keys()]) this.settle(id, (p) => p.reject(new Error('the run ended')));
    // The run's blobs (its clients' data, the last weights) go with it.
    await dropRunBlobs(this.redis, this.o.runId).catch(() => undefined);
    await Promise.allSettled([this.events.close(), this.queue.close()]);
    this.redis.disconnect();
  }
}
