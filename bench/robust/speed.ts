// PGD-40 throughput of Hone's attack on Wong et al.'s MNIST network: one JSON line. Run in its own process
// by robust.ts. Labels are the network's own predictions and eps is tiny, so no point is ever fooled and
// every one of the 40 steps runs for the whole batch (PGD stops early on a batch it has fully broken), the
// same work torch_pgd.py's loop does.
import * as tf from '@tensorflow/tfjs';
import { chooseBackend, requiredKernels } from '../../src/engine/backend';
import { loadMnist } from '../../src/engine/data';
import { buildModel, forward } from '../../src/engine/models';
import { pgd, runSync } from '../../src/engine/robust';
import { MNIST } from '../engine/workloads';
import { WONG_LAYERS } from './specs';

async function main(): Promise<void> {
  const [batch, rounds] = [Number(process.argv[2] ?? 500), Number(process.argv[3] ?? 3)];
  const backend = await chooseBackend('auto', requiredKernels(WONG_LAYERS));
  const model = buildModel({ type: 'layers', layers: WONG_LAYERS }, { inputShape: [28, 28, 1], task: 'classification', classes: 10 }, 1, 0);
  const f = (u: tf.Tensor) => tf.tidy(() => forward(model, u, false));
  const m = loadMnist(MNIST);
  const x = tf.tensor(Float32Array.from(m.test.x.subarray(0, batch * 784), (v) => v / 255), [batch, 28, 28, 1]);
  const y = tf.tidy(() => f(x).argMax(1));
  const run = () => runSync(pgd(f, x, y, { eps: 1e-4, alpha: 1e-5, steps: 40, restarts: 1, norm: 'linf', randomStart: true })).dispose();
  run();
  let best = Infinity;
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    run();
    best = Math.min(best, (performance.now() - t0) / 1000);
  }
  console.log(JSON.stringify({ impl: 'hone', backend: backend.name, batch, steps: 40, seconds: best, samplesPerSec: batch / best }));
}

void main();
