/**
 * A queue agent's side of federated clients (`hone agent`): it takes client jobs off the `fed` queue,
 * validates each (remote-job.ts), reads and verifies its blobs, and trains the task in client worker
 * processes of its own (pool.ts, one per job slot), kept per run so the model is built once; the update
 * goes back as a blob. The agent's own backend trains (the spec's choice, with its fallbacks here).
 */
import { tmpdir } from 'node:os';
import { serialize } from 'node:v8';
import type { Job } from 'bullmq';
import { getBlob, putBlob, type BlobRef } from '../../core/queue/blobs';
import type { QueueHandler } from '../../core/queue/agent';
import { hiddenLayers } from '../../core/spec/layers';
import type { BackendReport } from '../../core/store/types';
import { requiredKernels } from '../backend';
import { ProcessPool } from './pool';
import { FED_QUEUE, taskOfJob, validateFedJob, type FedClientJob, type FedClientReturn } from './remote-job';

export interface AgentClientsOptions {
  /** The bundled worker (dist/worker.js), started as client workers. */
  workerPath: string;
  /** Client worker processes per run: the agent's concurrency. */
  workers: number;
  log(text: string): void;
}

/** Runs whose client workers are kept (the most recent ones); an older run's are closed. */
const KEEP_RUNS = 2;

const floats = (b: Buffer) => new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.length));

export function federatedClients(o: AgentClientsOptions): QueueHandler {
  const pools = new Map<string, Promise<{ pool: ProcessPool; backend: BackendReport }>>();
  const drop = (runId: string) => {
    const p = pools.get(runId);
    pools.delete(runId);
    void p?.then(({ pool }) => pool.close(), () => undefined);
  };
  const poolFor = (j: FedClientJob) => {
    let p = pools.get(j.runId);
    if (!p) {
      const { spec } = j;
      const threads = spec.threads && spec.threads > 0 ? spec.threads : 1;
      p = ProcessPool.start({
        script: o.workerPath, runDir: tmpdir(), count: o.workers, log: o.log,
        init: {
          model: spec.model, dropout: spec.train.dropout, ...j.data, seed: spec.seed, backend: spec.backend,
          kernels: requiredKernels(hiddenLayers(spec.model, spec.train.dropout)), threads,
        },
      });
      pools.set(j.runId, p);
      p.catch(() => pools.delete(j.runId));
      for (const old of [...pools.keys()].slice(0, -KEEP_RUNS)) drop(old);
    }
    return p;
  };
  return {
    queue: FED_QUEUE,
    async process(job: Job, redis, agent): Promise<FedClientReturn> {
      const j = validateFedJob(job.data);
      const read = async (ref: BlobRef, what: string) => floats(await getBlob(redis, ref, what));
      const task = taskOfJob(j, {
        weights: await read(j.blobs.weights, 'the global weights'), x: await read(j.blobs.x, 'the client data'), y: await read(j.blobs.y, 'the client labels'),
        ...(j.blobs.residual ? { residual: await read(j.blobs.residual, 'the error-feedback memory') } : {}),
      });
      const { pool, backend } = await poolFor(j);
      try {
        const result = await pool.run(task);
        if (!result) throw new Error('the client worker skipped the task');
        return { agent, backend: backend.name, result: await putBlob(redis, j.runId, serialize(result)) };
      } catch (e) {
        // A worker that died fails every later task of its pool: the next job of this run starts a new one.
        drop(j.runId);
        throw e;
      }
    },
    async close() {
      await Promise.allSettled([...pools.values()].map((p) => p.then(({ pool }) => pool.close())));
      pools.clear();
    },
  };
}
