// Throughput measurements in one fresh process, printed as one JSON line per implementation:
//   node --import tsx bench/engine/measure.ts <impls> <mlp|lenet> <wasm|wasm-stock|cpu> <steps> <warmup> <rounds>
// `impls` is a comma list of `hone` (Hone's training loop, src/engine/train, on the backend as Hone sets
// it up, its wasm kernels included) and `fit` (raw TF.js model.fit on the same backend), each with an
// optional `@threads` for the wasm backend (`hone@2`: TF.js's threaded build on 2 threads; default 1). Each
// line's `threads` is what the backend ran on; when that is not what was asked (the threaded build failed
// and fell back to 1), `asked` and `threadsWhy` say so.
// `wasm-stock` is TF.js's wasm backend without Hone's kernels. Steps are timed between batches after
// `warmup` untimed ones. Rounds alternate the implementations (switching the thread count as needed)
// on a fresh model each, so all see the same machine; the best round is kept.
import * as tf from '@tensorflow/tfjs';
import { dirname } from 'node:path';
import type { Dataset } from '../../src/engine/data';
import { chooseBackend } from '../../src/engine/backend';
import { buildModel } from '../../src/engine/models';
import { train } from '../../src/engine/train';
import { mnistTrain, rawModel, trainSpec, WORKLOADS, type Workload } from './workloads';

const [impls, workload, backend, steps, warmup, rounds] = process.argv.slice(2).map((a, i) => (i < 3 ? a : Number(a))) as [string, Workload, string, number, number, number];

/** Switches to the backend on `threads` threads; the threads it runs on and why, as chooseBackend reports them. */
async function useBackend(threads: number): Promise<{ threads: number; why?: string }> {
  if (backend !== 'wasm-stock') {
    const report = await chooseBackend(backend as 'wasm' | 'cpu', [], { threads });
    return { threads: report.threads ?? 1, why: report.threadsWhy };
  }
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  wasm.setWasmPaths(dirname(require.resolve('@tensorflow/tfjs-backend-wasm')) + '/');
  await tf.setBackend('wasm');
  return { threads: 1 };
}

/** Seconds for `steps` batches after `warmup`, from timestamps taken between batches. */
async function once(impl: string, data: Dataset, batch: number): Promise<number> {
  const stamps: number[] = [];
  const stamp = () => void stamps.push(performance.now());
  if (impl === 'hone') {
    const model = buildModel(WORKLOADS[workload].spec, data, 1, 0);
    stamp();
    await train(model, data, trainSpec(batch), 1, { onEpoch: () => {}, shouldStop: () => (stamp(), false) });
    model.dispose();
  } else {
    const model = rawModel(workload);
    const [x, y] = [tf.tensor4d(data.train.x, [data.train.n, 28, 28, 1]), tf.tensor1d(data.train.y)];
    stamp();
    await model.fit(x, y, { batchSize: batch, epochs: 1, shuffle: true, verbose: 0, callbacks: { onBatchEnd: async () => stamp() } });
    tf.dispose([x, y]);
    model.dispose();
  }
  return (stamps[warmup + steps] - stamps[warmup]) / 1000;
}

async function main(): Promise<void> {
  const { batch } = WORKLOADS[workload];
  const list = impls.split(',').map((s) => ({ key: s, impl: s.split('@')[0], threads: Number(s.split('@')[1] ?? 1) }));
  const best: Record<string, number> = {};
  const used: Record<string, { threads: number; why?: string }> = {};
  try {
    const data = mnistTrain(batch * (steps + warmup));
    for (let r = 0; r < rounds; r++) {
      for (const { key, impl, threads } of list) {
        used[key] = await useBackend(threads);
        best[key] = Math.min(best[key] ?? Infinity, await once(impl, data, batch));
      }
    }
  } catch (e) {
    for (const { key, impl, threads } of list) if (!(key in best)) console.log(JSON.stringify({ impl, threads, workload, backend, error: (e as Error).message.split('\n')[0] }));
  }
  for (const { key, impl, threads } of list.filter((l) => l.key in best)) {
    const seconds = best[key];
    const ran = used[key];
    const fallback = ran.threads !== threads ? { asked: threads, threadsWhy: ran.why } : {};
    console.log(JSON.stringify({ impl, threads: ran.threads, ...fallback, workload, backend, batch, steps, rounds, seconds, samplesPerSec: (batch * steps) / seconds, msPerStep: (1000 * seconds) / steps }));
  }
  // The threaded build's pthreads would keep the process alive: it is done.
  process.exit(0);
}

main();
