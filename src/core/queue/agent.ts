/**
 * A queue agent (`hone agent`): BullMQ workers that take runs off the queue (agent-jobs.ts: each validated,
 * trained in Hone's own worker process inside a temporary store, its metric lines reported as they come,
 * its files returned), `hone exec` commands off their own queue only with --allow-exec, and the jobs of
 * other queues it is given handlers for (federated clients), all within one --concurrency (slots.ts). It
 * registers itself under a key that expires unless refreshed, for `hone agent ls` and the Runs tree. A job it
 * refuses (a command, a bad spec) fails at once, without retries; a job whose agent dies (its lock expires)
 * goes back to the queue through BullMQ's stalled-job check and runs on another agent.
 */
import { hostname } from 'node:os';
import { Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { RunHandle } from '../runner';
import { refusal, runExecJob, runTrainJob, type JobContext } from './agent-jobs';
import { ABANDONED, agentKey, explainRedisError, openRedis, PREFIX, QUEUE_NAME, redisOptions, stopKey } from './connect';
import { EXEC_QUEUE } from './exec-job';
import type { TrainJob } from './job';
import { Slots } from './slots';
import type { QueueAddress } from './url';

export interface AgentOptions {
  address: QueueAddress;
  name: string;
  concurrency: number;
  tags: string[];
  /** The bundled training worker (dist/worker.js). */
  workerPath: string;
  /** The backend this machine trains with (`auto`'s choice), for the registration. */
  backend: string;
  versions: Record<string, string>;
  /** BullMQ's lock: an agent silent this long (killed, cut off) loses its job to another agent. */
  lockMs: number;
  maxArtifactBytes: number;
  /** The folders a job's data files may be read from (data-dirs.ts: `hone agent --data-dir`, then this machine's MNIST folders). */
  dataDirs: string[];
  /** Take `hone exec` jobs (commands) too: `hone agent --allow-exec`. */
  allowExec?: boolean;
  /** Other queues this agent serves (federated clients: engine/federated/agent-clients.ts). */
  handlers?: QueueHandler[];
  log(line: string): void;
}

/**
 * Jobs of another queue: `process` validates a job (throwing JobRefused for one it will not run) and
 * returns its result; it reads and writes any large values itself through `redis`.
 */
export interface QueueHandler {
  queue: string;
  process(job: Job, redis: Redis, agent: string): Promise<unknown>;
  close(): Promise<void>;
}

/** What `hone agent ls` shows of an agent: its registration, refreshed every REGISTER_MS. */
export interface AgentInfo {
  name: string;
  host: string;
  backend: string;
  concurrency: number;
  tags: string[];
  /** The run ids it trains now. */
  jobs: string[];
  started: string;
  seen: string;
  versions: Record<string, string>;
  /** Whether it takes `hone exec` jobs (--allow-exec). */
  exec?: boolean;
}

/** A queue the agent serves and what it does with each job of it. */
type Served = [queue: string, handle: (job: Job) => Promise<unknown>];

const REGISTER_MS = 2000;
const STOP_POLL_MS = 500;

export interface Agent {
  /** Stops taking jobs, lets running ones finish, unregisters. */
  close(): Promise<void>;
}

export async function startAgent(o: AgentOptions): Promise<Agent> {
  const redis = await openRedis(o.address);
  const started = new Date().toISOString();
  const active = new Map<string, RunHandle>();
  /** Jobs of the other queues in progress (their ids), for the registration. */
  const busy = new Set<string>();
  const stopped = new Set<string>();
  const info = (): AgentInfo => ({
    name: o.name, host: hostname(), backend: o.backend, concurrency: o.concurrency, tags: o.tags, jobs: [...active.keys(), ...busy], started, seen: new Date().toISOString(), versions: o.versions, ...(o.allowExec && { exec: true }),
  });
  const register = () => redis.set(agentKey(o.name), JSON.stringify(info()), 'PX', REGISTER_MS * 3);
  if ((await redis.set(agentKey(o.name), JSON.stringify(info()), 'PX', REGISTER_MS * 3, 'NX')) !== 'OK') {
    redis.disconnect();
    throw new Error(`an agent named '${o.name}' is already registered on ${o.address.redacted}; give another --name (a killed agent's entry expires within ${(REGISTER_MS * 3) / 1000} s)`);
  }
  const timers = [
    setInterval(() => void register().catch(() => undefined), REGISTER_MS),
    setInterval(() => void pollStops(redis, active, stopped), STOP_POLL_MS),
  ];
  // Registered again at once when a job starts or ends, so `hone agent ls` shows its jobs without delay.
  const changed = () => void register().catch(() => undefined);
  const options = {
    connection: redisOptions(o.address), prefix: PREFIX, concurrency: o.concurrency,
    lockDuration: o.lockMs, stalledInterval: Math.max(500, Math.round(o.lockMs / 2)), maxStalledCount: 3,
  };
  const handlers = o.handlers ?? [];
  const c: JobContext = { name: o.name, workerPath: o.workerPath, versions: o.versions, maxArtifactBytes: o.maxArtifactBytes, dataDirs: o.dataDirs, active, stopped, changed };
  const served: Served[] = [
    [QUEUE_NAME, (job) => runTrainJob(job as Job<TrainJob>, c)],
    // Commands only on an agent started with --allow-exec: the others do not even listen to that queue.
    ...(o.allowExec ? [[EXEC_QUEUE, (job) => runExecJob(job, c)] satisfies Served] : []),
    ...handlers.map((h): Served => [h.queue, async (job) => {
      busy.add(job.id!);
      changed();
      try {
        return await h.process(job, redis, o.name);
      } catch (e) {
        throw refusal(e, o.name);
      } finally {
        busy.delete(job.id!);
        changed();
      }
    }]),
  ];
  // --concurrency is the agent's, not each queue's: every job runs in one of its slots.
  const slots = new Slots(o.concurrency);
  const workers = served.map(([queue, handle], lane) => new Worker(queue, (job) => slots.run(lane, () => handle(job)), options));
  slots.attach(workers);
  for (const worker of workers) {
    worker.on('error', (e) => o.log(`queue: ${explainRedisError(e, o.address)}`));
    worker.on('failed', (job, e) => job && (o.log(`job ${job.id} failed: ${e.message}`), void dropAbandoned(redis, job, o.log)));
    worker.on('active', (job) => o.log(`job ${job.id} started (${job.queueName})`));
    worker.on('completed', (job) => (o.log(`job ${job.id} done`), void dropAbandoned(redis, job, o.log)));
  }
  o.log(`agent ${o.name} on ${hostname()}: ${o.address.redacted}, concurrency ${o.concurrency}, backend ${o.backend}${o.tags.length ? `, tags ${o.tags.join(',')}` : ''}${o.allowExec ? ', takes hone exec jobs (--allow-exec)' : ''}`);
  return {
    close: async () => {
      timers.forEach(clearInterval);
      slots.close();
      await Promise.all(workers.map((w) => w.close()));
      await Promise.allSettled(handlers.map((h) => h.close()));
      await redis.del(agentKey(o.name)).catch(() => undefined);
      redis.disconnect();
    },
  };
}

/**
 * Removes an ended job whose submitter left without it (its stop request says ABANDONED: a second
 * Ctrl-C recorded the run stopped there), with the stop request: its result would wait in Redis for
 * ever, nobody coming to collect it.
 */
async function dropAbandoned(redis: Redis, job: Job, log: (text: string) => void): Promise<void> {
  try {
    if (!(await redis.get(stopKey(job.id!)))?.startsWith(ABANDONED)) return;
    await job.remove();
    await redis.del(stopKey(job.id!));
    log(`job ${job.id}: its submitter recorded it stopped and left; removed from the queue`);
  } catch {
    // Left as it was: the stop request expires in 7 days; the job stays until removed by hand.
  }
}

/**
 * Forwards stop requests (`hone stop`, a sweep's stop or pruning) to the runs this agent trains, once per
 * run: a second stop() kills the worker before it saves its model.
 */
async function pollStops(redis: Redis, active: Map<string, RunHandle>, stopped: Set<string>): Promise<void> {
  const ids = [...active.keys()].filter((id) => !stopped.has(id));
  if (!ids.length) return;
  const asked = await redis.mget(ids.map(stopKey)).catch(() => []);
  ids.forEach((id, i) => {
    if (!asked[i]) return;
    stopped.add(id);
    active.get(id)?.stop();
  });
}
