/**
 * The coordinator's end of the queue: it enqueues runs the local store already holds (status `queued`), one
 * BullMQ job per run with the run's id as job id (so enqueueing twice, as a resumed sweep may, adds nothing),
 * and follows each to its end through one QueueEvents stream plus a slow poll (events missed while Redis
 * restarted are caught up). Stops travel as per-run keys the agents poll; a `stop` file left in the run folder
 * by `hone stop` from another process is forwarded the same way.
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { Job, Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import { queueRun, type QueuedRun, type RunHandle, type RunRequest } from '../runner';
import { runDirOf, STOP_FILE, updateIndexEntry, writeRunRecord } from '../store';
import type { ExternalSpec, MetricLine, RunRecord } from '../store/types';
import { coordinatorArtifactLimit } from './artifacts';
import { ABANDONED, openQueue, QUEUE_NAME, stopKey } from './connect';
import { EXEC_QUEUE, type ExecJob } from './exec-job';
import { JOB_VERSION, type AgentProgress, type JobResult, type TrainJob } from './job';
import { RemoteRunFolder } from './local-record';
import type { QueueAddress } from './url';
import { listAgents } from './agents';
import type { AgentInfo } from './agent';

export interface RemoteRun {
  runId: string;
  /** The run's final local record; undefined if its folder vanished. */
  done: Promise<RunRecord | undefined>;
  stop(): void;
}

interface Followed {
  folder: RemoteRunFolder;
  onLine?: (line: MetricLine) => void;
  settle(rec: RunRecord | undefined): void;
  settled: boolean;
  /** False until its job is in the queue: before that, a missing job is not a lost one. */
  enqueued: boolean;
}

/** The job that carries a queued local run to an agent. */
function jobOf(rec: RunRecord, maxArtifactBytes: number): TrainJob | ExecJob {
  const base = { v: JOB_VERSION, runId: rec.id, name: rec.name, experiment: rec.experiment, overrides: rec.overrides, maxArtifactBytes } as const;
  if (rec.kind === 'exec') {
    const spec = rec.spec as ExternalSpec;
    return { ...base, type: 'exec', command: spec.command ?? [], cwd: spec.cwd ?? process.cwd(), params: spec.params };
  }
  return { ...base, type: 'train', spec: rec.spec as TrainJob['spec'], epochsPlanned: rec.epochsPlanned, ...(rec.sweep && { sweep: rec.sweep }) };
}

/** How often every followed job's state is checked besides the events, and stop files looked for. */
const POLL_MS = 2000;

/**
 * How long the queue may stay unreachable before the runs followed here are recorded crashed, rather than
 * waited for without end: $HONE_QUEUE_TIMEOUT_S seconds, else 10 minutes (a Redis restart takes seconds).
 */
export const unreachableLimitMs = (): number => {
  const s = Number(process.env.HONE_QUEUE_TIMEOUT_S);
  return Number.isFinite(s) && s > 0 ? s * 1000 : 600_000;
};

/** `p`, or undefined once `ms` have passed: a Redis command must not hold up an exit while Redis is away. */
const within = <T>(p: Promise<T>, ms: number) => Promise.race([p, delay(ms, undefined, { ref: false })]);

export class RemoteQueue {
  private readonly followed = new Map<string, Followed>();
  private readonly timer: NodeJS.Timeout;
  private readonly stopAsked = new Set<string>();
  private unreachableSince?: number;
  private readonly limitMs = unreachableLimitMs();

  private constructor(
    readonly address: QueueAddress, private readonly redis: Redis, private readonly queue: Queue, private readonly events: QueueEvents,
    private readonly maxArtifactBytes: number,
  ) {
    events.on('progress', ({ jobId, data }) => this.onProgress(jobId, data as AgentProgress));
    events.on('completed', ({ jobId }) => this.checkSoon(jobId));
    events.on('failed', ({ jobId }) => this.checkSoon(jobId));
    this.timer = setInterval(() => this.poll(), POLL_MS);
  }

  /**
   * Connects (refusing a wrong password or an unreachable server with a clear InputError) to the runs queue,
   * or for `hone exec --queue` to the exec queue (exec-job.ts).
   */
  static async open(address: QueueAddress, name: typeof QUEUE_NAME | typeof EXEC_QUEUE = QUEUE_NAME): Promise<RemoteQueue> {
    const maxArtifactBytes = coordinatorArtifactLimit();
    const { redis, queue, events } = await openQueue(address, name);
    return new RemoteQueue(address, redis, queue, events, maxArtifactBytes);
  }

  /** Enqueues a queued local run and follows it: a Hone run on the runs queue, an exec run on the exec queue. */
  submit(storeDir: string, run: QueuedRun, onLine?: (line: MetricLine) => void): RemoteRun {
    const rec = { ...run.record, remote: { queue: this.address.redacted } };
    const job = jobOf(rec, this.maxArtifactBytes);
    if ((job.type === 'exec') !== (this.queue.name === EXEC_QUEUE)) throw new Error(`a ${job.type} run cannot go to the ${this.queue.name} queue`);
    writeRunRecord(run.dir, rec);
    run.indexed.then(() => updateIndexEntry(storeDir, rec)).catch(() => undefined);
    const followed = this.follow(storeDir, rec.id, onLine);
    this.queue.add(job.type, job, { jobId: rec.id, removeOnFail: false, removeOnComplete: false }).then(
      () => {
        const f = this.followed.get(rec.id);
        if (f) f.enqueued = true;
        return this.check(rec.id);
      },
      (e: Error) => this.finish(rec.id, (f) => f.end('failed', `could not enqueue it: ${e.message}`)),
    );
    return followed;
  }

  /** `hone run --queue`: records the run (queued) in the local store and enqueues it. */
  start(r: RunRequest, onLine?: (line: MetricLine) => void): RunHandle {
    const queued = queueRun(r);
    const run = this.submit(r.storeDir, queued, onLine);
    const done = run.done.then((rec) => rec ?? { ...queued.record, status: 'crashed' as const, message: 'its run folder was deleted while it ran' });
    return { id: queued.record.id, name: queued.record.name, runDir: queued.dir, done, stop: run.stop };
  }

  /** Follows a run enqueued earlier (by a coordinator that died): its job's state decides what happens next. */
  adopt(storeDir: string, runId: string, onLine?: (line: MetricLine) => void): RemoteRun {
    const followed = this.follow(storeDir, runId, onLine);
    this.followed.get(runId)!.enqueued = true;
    this.checkSoon(runId, true);
    return followed;
  }

  private follow(storeDir: string, runId: string, onLine?: (line: MetricLine) => void): RemoteRun {
    const folder = new RemoteRunFolder(storeDir, runDirOf(storeDir, runId), this.maxArtifactBytes);
    let settle!: (rec: RunRecord | undefined) => void;
    const done = new Promise<RunRecord | undefined>((r) => (settle = r));
    this.followed.set(runId, { folder, onLine, settle, settled: false, enqueued: false });
    return { runId, done, stop: () => void this.stop(runId) };
  }

  private onProgress(jobId: string, p: AgentProgress): void {
    const f = this.followed.get(jobId);
    if (!f || f.settled || typeof p !== 'object' || !p?.agent) return;
    for (const line of f.folder.progress(p)) f.onLine?.(line);
  }

  /** `check` from an event or the poll: a Redis error (a restart, a network blip) is not fatal, the next poll checks again. */
  private checkSoon(runId: string, reattach = false): void {
    this.check(runId, reattach).catch(() => undefined);
  }

  /** Looks at a followed job's state and records its end once it has one. */
  private async check(runId: string, reattach = false): Promise<void> {
    const f = this.followed.get(runId);
    if (!f || f.settled || !f.enqueued) return;
    const lost = () => this.finish(runId, (x) => x.end('crashed', `its job is no longer in the queue ${this.address.redacted}`));
    // The state first, then the job: a job read first may have completed in between, without its return value.
    const state = await this.queue.getJobState(runId).catch(() => 'error');
    if (state === 'error') return;
    if (state === 'unknown') return lost();
    // A job still waiting or training is read only to reattach to it: the poll asks every 2 s for every run.
    if (state !== 'completed' && state !== 'failed' && !reattach) return;
    const job = await Job.fromId<TrainJob, JobResult>(this.queue, runId).catch(() => null);
    // Redis unreachable (restarting): the next poll asks again.
    if (job === null) return;
    if (!job) return lost();
    if (state === 'completed') return this.finish(runId, async (x) => {
      try {
        return await x.complete(job.returnvalue);
      } catch (e) {
        return x.end('failed', `the agent's result was refused: ${(e as Error).message}`);
      }
    }, job);
    if (state === 'failed') return this.finish(runId, (x) => x.end('failed', `agent: ${job.failedReason}`), job);
    const progress = job.progress as AgentProgress | number;
    if (reattach) f.folder.reattach(state === 'active' && typeof progress === 'object' ? progress.agent : undefined);
  }

  private async finish(runId: string, record: (f: RemoteRunFolder) => Promise<RunRecord | undefined>, job?: Job, keepStop = false): Promise<void> {
    const f = this.followed.get(runId);
    if (!f || f.settled) return;
    f.settled = true;
    let rec: RunRecord | undefined;
    try {
      rec = await record(f.folder);
      // Recorded locally: the job's copy of the model can go (Redis keeps it only until then), and the stop
      // request with it, unless an agent may still be training the run and has yet to read it.
      await within(Promise.all([job?.remove(), keepStop ? undefined : this.redis.del(stopKey(runId))]).catch(() => undefined), 2000);
    } finally {
      // A record that could not be written (a full disk) still ends the wait: the run reads as its folder says.
      this.followed.delete(runId);
      this.stopAsked.delete(runId);
      f.settle(rec);
    }
  }

  /**
   * Asks the agent running `runId` to stop; a job no agent took yet is taken off the queue. Asked twice
   * (a second Ctrl-C), the run is recorded stopped here at once, without waiting for its agent or for the
   * queue, which may be unreachable.
   */
  private async stop(runId: string): Promise<void> {
    if (this.stopAsked.has(runId)) {
      // The stop request stays (it expires in 7 days) for the agent to read, marked abandoned: nobody will
      // collect the job's result, so the agent removes the job once it ends. A job no agent holds goes now.
      await within(this.redis.set(stopKey(runId), `${ABANDONED} ${new Date().toISOString()}`, 'EX', 7 * 86400), 2000).catch(() => undefined);
      const job = await within(Job.fromId(this.queue, runId), 2000).catch(() => undefined);
      return this.finish(runId, (f) => f.end('stopped', `asked to stop twice: recorded stopped here without waiting for its agent (one still training it stops when it next reaches ${this.address.redacted})`), job, true);
    }
    this.stopAsked.add(runId);
    await this.redis.set(stopKey(runId), new Date().toISOString(), 'EX', 7 * 86400).catch(() => undefined);
    const job = await Job.fromId(this.queue, runId).catch(() => undefined);
    const state = await job?.getState().catch(() => 'unknown');
    if (job && (state === 'waiting' || state === 'delayed' || state === 'prioritized')) {
      const removed = await job.remove().then(() => true, () => false);
      if (removed) await this.finish(runId, (f) => f.end('stopped', 'stopped before an agent took it'));
    }
  }

  private poll(): void {
    if (this.followed.size) void this.redis.ping().then(() => (this.unreachableSince = undefined), () => this.unreachable());
    for (const [runId, f] of this.followed) {
      const stopFile = join(f.folder.dir, STOP_FILE);
      if (existsSync(stopFile)) {
        rmSync(stopFile, { force: true });
        void this.stop(runId);
      }
      this.checkSoon(runId);
    }
  }

  /** Redis did not answer: past the limit, every followed run is recorded crashed here (no run waits forever). */
  private unreachable(): void {
    this.unreachableSince ??= Date.now();
    if (Date.now() - this.unreachableSince < this.limitMs) return;
    const message = `the queue ${this.address.redacted} was unreachable for ${Math.round(this.limitMs / 1000)} s ($HONE_QUEUE_TIMEOUT_S): recorded crashed here; an agent may still be training it`;
    for (const runId of [...this.followed.keys()]) void this.finish(runId, (f) => f.end('crashed', message));
  }

  private agentsAsked?: { at: number; agents: Promise<AgentInfo[] | undefined> };

  /**
   * The agents registered on this queue (for the Runs tree's Queue node, which refreshes often): asked of
   * Redis at most once a second; undefined when Redis does not answer within 1 s.
   */
  agents(): Promise<AgentInfo[] | undefined> {
    if (!this.agentsAsked || Date.now() - this.agentsAsked.at >= 1000) {
      this.agentsAsked = { at: Date.now(), agents: within(listAgents(this.redis), 1000).catch(() => undefined) };
    }
    return this.agentsAsked.agents;
  }

  /** Closes the connections; with Redis away, it disconnects them after 2 s rather than wait for it. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    this.redis.disconnect();
    await within(Promise.allSettled([this.events.close(), this.queue.close()]), 2000);
    // Not awaited: with Redis away they never settle, but they end the reconnecting.
    void this.events.disconnect().catch(() => undefined);
    void this.queue.disconnect().catch(() => undefined);
  }
}
