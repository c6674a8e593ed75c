// One throughput measurement in a fresh process, printed as one JSON line:
//   node --import tsx bench/engine/measure.ts <hone|fit> <mlp|lenet> <wasm|wasm-stock|cpu> <steps> [warmup]
// `hone` is Hone's training loop (src/engine/train) on the backend as Hone sets it up (its wasm kernels
// included); `fit` is raw TF.js model.fit on the same backend; `wasm-stock` is TF.js's wasm backend
// without Hone's kernels. Steps are timed between batches, after `warmup` untimed steps.
import * as tf from '@tensorflow/tfjs';
import { dirname } from 'node:path';
import { chooseBackend } from '../../src/engine/backend';
import { buildModel } from '../../src/engine/models';
import { train } from '../../src/engine/train';
import { mnistTrain, rawModel, trainSpec, WORKLOADS, type Workload } from './workloads';

const [impl, workload, backend, stepsArg, warmupArg] = process.argv.slice(2) as ['hone' | 'fit', Workload, string, string, string?];
const steps = Number(stepsArg);
const warmup = Number(warmupArg ?? 2);

async function useBackend(): Promise<void> {
  if (backend !== 'wasm-stock') return void (await chooseBackend(backend as 'wasm' | 'cpu'));
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  wasm.setWasmPaths(dirname(require.resolve('@tensorflow/tfjs-backend-wasm')) + '/');
  await tf.setBackend('wasm');
}

async function main(): Promise<void> {
  await useBackend();
  const { batch, spec } = WORKLOADS[workload];
  const data = mnistTrain(batch * (steps + warmup));
  const stamps: number[] = [];
  const stamp = () => void stamps.push(performance.now());
  if (impl === 'hone') {
    const model = buildModel(spec, data, 1, 0);
    stamp();
    await train(model, data, trainSpec(batch), 1, { onEpoch: () => {}, shouldStop: () => (stamp(), false) });
  } else {
    const model = rawModel(workload);
    const x = tf.tensor4d(data.train.x, [data.train.n, 28, 28, 1]);
    const y = tf.tensor1d(data.train.y);
    stamp();
    await model.fit(x, y, { batchSize: batch, epochs: 1, shuffle: true, verbose: 0, callbacks: { onBatchEnd: async () => stamp() } });
  }
  const seconds = (stamps[warmup + steps] - stamps[warmup]) / 1000;
  const out = { impl, workload, backend, batch, steps, seconds, samplesPerSec: (batch * steps) / seconds, msPerStep: (1000 * seconds) / steps };
  process.stdout.write(JSON.stringify(out) + '\n');
}

main().catch((e) => {
  process.stdout.write(JSON.stringify({ impl, workload, backend, error: (e as Error).message.split('\n')[0] }) + '\n');
  process.exitCode = 0;
});
