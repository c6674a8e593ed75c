// Threads within one run (issue 12): TF.js's threaded wasm build in Node trains an MLP and a LeNet-5 to
// the same losses as the single-threaded build, takes the thread count asked for, and the fair-share
// rule that picks it. In-process: the backend is switched between 1 and 2 threads and back.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import * as wasm from '@tensorflow/tfjs-backend-wasm';
import { chooseBackend } from '../../src/engine/backend';
import { resolveThreads, MAX_THREADS, MIN_STEP_MACS } from '../../src/engine/threads/count';
import { stepMacs } from '../../src/engine/threads/step-macs';
import { modelCost } from '../../src/core/spec/model-cost';
import type { ModelSpec, Spec } from '../../src/core/spec/types';
import { pthreadFiles } from '../../src/engine/threads/pthread-files';
import { mnistTrain } from '../../bench/engine/workloads';
import { trainOnce, trainSpec } from '../helpers/engine';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, readdirSync, readFileSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';
import { ROOT, waitFor } from '../helpers/cli';

after(() => chooseBackend('wasm', [], { threads: 1 }));

test('the thread count: the spec, then HONE_THREADS, then cores / runs within the idle cores; clamped to 1..8', () => {
  const base = { env: {}, cores: 8, runs: 1, busy: 0 };
  assert.deepEqual(resolveThreads({ ...base, spec: 3 }), { threads: 3, why: 'spec threads 3' });
  assert.equal(resolveThreads({ ...base, spec: 3, env: { HONE_THREADS: '2' } }).threads, 3, 'the spec wins');
  assert.deepEqual(resolveThreads({ ...base, spec: 0, env: { HONE_THREADS: '2' } }), { threads: 2, why: 'HONE_THREADS=2' });
  assert.deepEqual(resolveThreads(base), { threads: 8, why: 'auto: 8 cores / 1 live run' });
  assert.deepEqual(resolveThreads({ ...base, runs: 3 }), { threads: 2, why: 'auto: 8 cores / 3 live runs' });
  assert.deepEqual(resolveThreads({ ...base, runs: 3, env: { HONE_PARALLEL_RUNS: '4' } }), { threads: 2, why: 'auto: 8 cores / HONE_PARALLEL_RUNS=4' });
  assert.equal(resolveThreads({ ...base, cores: 2, runs: 2 }).threads, 1, 'two runs on two cores: one thread each');
  assert.equal(resolveThreads({ ...base, cores: 2, runs: 5 }).threads, 1, 'never below 1');
  assert.equal(resolveThreads({ ...base, cores: 64 }).threads, MAX_THREADS, 'TF.js runs 8 at most');
  assert.equal(resolveThreads({ ...base, spec: 50 }).threads, MAX_THREADS);
  assert.deepEqual(resolveThreads({ ...base, cores: 2, busy: 1.6 }), { threads: 1, why: 'auto: 2 cores / 1 live run = 2, but other work keeps 1.6 busy' });
  assert.equal(resolveThreads({ ...base, busy: 3.2 }).threads, 5, 'the cores other work leaves');
  assert.equal(resolveThreads({ ...base, busy: 8 }).threads, 1, 'never below 1');
  assert.equal(resolveThreads({ ...base, runs: 2, busy: 1 }).threads, 4, 'the share when it fits in the idle cores');
  assert.equal(resolveThreads({ ...base, spec: 4, busy: 8 }).threads, 4, 'an explicit count is kept');
  assert.equal(resolveThreads({ ...base, env: { HONE_THREADS: '' } }).why, 'auto: 8 cores / 1 live run', 'an empty HONE_THREADS is unset');
  for (const bad of ['x', '-1', '1.5', '0x4', '1e1']) {
    assert.equal(resolveThreads({ ...base, env: { HONE_THREADS: bad } }).why, `HONE_THREADS="${bad}" is not a whole number, ignored; auto: 8 cores / 1 live run`);
  }
  assert.deepEqual(resolveThreads({ ...base, env: { HONE_THREADS: '16' } }), { threads: MAX_THREADS, why: 'HONE_THREADS=16 (at most 8: the threaded build\'s pthreads)' });
});

test('auto keeps a small model on one thread: under MIN_STEP_MACS multiply-adds per step a second thread costs more than it saves', () => {
  const base = { env: {}, cores: 8, runs: 1, busy: 0 };
  assert.deepEqual(resolveThreads({ ...base, stepMacs: 2.7e6 }), { threads: 1, why: 'auto: 8 cores / 1 live run; 1 thread: a step is 2.7 M multiply-adds, under the 25 M where a second thread pays' });
  assert.equal(resolveThreads({ ...base, stepMacs: MIN_STEP_MACS }).threads, 8, 'from the threshold on, the fair share');
  assert.equal(resolveThreads({ ...base, stepMacs: 43e6 }).threads, 8);
  assert.equal(resolveThreads(base).threads, 8, 'an unknown step cost: no small-model rule');
  assert.equal(resolveThreads({ ...base, spec: 2, stepMacs: 1e3 }).threads, 2, 'an explicit count is kept, however small the model');
  assert.equal(resolveThreads({ ...base, env: { HONE_THREADS: '3' }, stepMacs: 1e3 }).threads, 3);
  assert.deepEqual(resolveThreads({ ...base, cores: 2, runs: 2, stepMacs: 1e3 }), { threads: 1, why: 'auto: 2 cores / 2 live runs' }, 'one thread by the share already: nothing to add');
});

test('the step cost: forward multiply-adds per sample of dense and conv layers, times the batch', () => {
  // digits: 8x8 inputs flattened to 64, 10 classes. MLP [32]: 64*32 + 32*10.
  assert.equal(modelCost({ type: 'mlp', layers: [32] } as ModelSpec, [64], 10)!.macs, 64 * 32 + 32 * 10);
  // LeNet-5 on 28x28x1 ('same' convs, 2x2 pools): conv1 28*28*6 outputs x 25 inputs, conv2 14*14*16 x 150, dense 7*7*16 -> 120 -> 84 -> 10.
  const lenet: ModelSpec = { type: 'cnn', filters: [6, 16], kernelSize: 5, pool: 2, dense: [120, 84], activation: 'relu', dropout: 0, batchNorm: false };
  assert.equal(modelCost(lenet, [28, 28, 1], 10)!.macs, 28 * 28 * 6 * 25 + 14 * 14 * 16 * 150 + 784 * 120 + 120 * 84 + 84 * 10);
  const spec = { data: { source: 'digits', split: { train: 0.6, val: 0.2, test: 0.2 } }, model: { type: 'mlp', layers: [32] }, train: { batchSize: 16 } } as unknown as Spec;
  assert.equal(stepMacs(spec), (64 * 32 + 32 * 10) * 16);
  // Batch size 0 is the whole data in one step (the digits' 1,797 samples); a batch larger than the data is the data.
  assert.equal(stepMacs({ ...spec, train: { batchSize: 0 } } as Spec), (64 * 32 + 32 * 10) * 1797);
  assert.equal(stepMacs({ ...spec, train: { batchSize: 4096 } } as Spec), (64 * 32 + 32 * 10) * 1797);
});

test('the backend runs the thread count asked for and reports it', async () => {
  for (const threads of [2, 3, 1]) {
    const r = await chooseBackend('wasm', [], { threads });
    assert.equal(r.threads, threads);
    assert.equal(wasm.getThreadsCount(), threads, 'XNNPACK\'s threadpool');
    assert.equal(r.threadsWhy, `spec threads ${threads}`);
    assert.deepEqual(Array.from(tf.matMul(tf.tensor2d([[1, 2], [3, 4]]), tf.tensor2d([[5], [6]])).dataSync()), [17, 39]);
  }
});

/** Losses of every epoch on 1 and then on 2 threads, from the same seed. */
async function onOneAndTwo(model: ModelSpec, n: number, batchSize: number, epochs: number) {
  const data = mnistTrain(n);
  const runs = [];
  for (const threads of [1, 2]) {
    await chooseBackend('wasm', [], { threads });
    const r = await trainOnce(data, model, trainSpec({ epochs, batchSize, weightDecay: 0 }), 5);
    r.model.dispose();
    runs.push(r.lines.map((l) => l.metrics.loss));
  }
  return runs;
}

// XNNPACK splits a product's output tiles (and an elementwise op's range) among the threads and
// computes each output exactly as one thread does: the losses agree exactly, not just closely.

test('an MLP 784-512-512-10 trains to the same losses on 2 threads as on 1', async () => {
  const [one, two] = await onOneAndTwo({ type: 'mlp', layers: [512, 512], activation: 'relu', dropout: 0 }, 1024, 256, 3);
  assert.deepEqual(two, one, 'losses of every epoch, 2 threads against 1');
  assert.ok(one[2] < one[0], 'it learns');
});

test('a LeNet-5 trains to the same losses on 2 threads as on 1', async () => {
  const lenet: ModelSpec = { type: 'cnn', filters: [6, 16], kernelSize: 5, pool: 2, dense: [120, 84], activation: 'relu', dropout: 0, batchNorm: false };
  const [one, two] = await onOneAndTwo(lenet, 512, 64, 2);
  assert.deepEqual(two, one, 'losses of every epoch, 2 threads against 1');
  assert.ok(one[1] < one[0], 'it learns');
});

// Each counts once it has started, then lives on until the test lets it go: the two are alive together
// when they count, however far apart a loaded machine starts them.
test('liveWorkers counts the processes running this same script: two started together see two', { skip: process.platform !== 'linux' }, async () => {
  const dir = makeTmpDir();
  try {
    const script = join(dir, 'count.ts');
    const done = join(dir, 'done');
    writeFileSync(script, `import { existsSync } from 'node:fs';\nimport { liveWorkers } from ${JSON.stringify(join(ROOT, 'src/engine/threads/live-workers'))};\nconsole.log(liveWorkers());\n`
      + `const end = Date.now() + 120_000;\nconst wait = setInterval(() => (existsSync(${JSON.stringify(done)}) || Date.now() > end) && clearInterval(wait), 20);\n`);
    const run = () => {
      const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      child.stdout.on('data', (b) => (out += b));
      return { counted: () => out.trim() || undefined, ended: new Promise<string>((res) => child.on('close', () => res(out.trim()))) };
    };
    const two = [run(), run()];
    await waitFor(() => (two.every((r) => r.counted()) ? true : undefined), 60_000, 'both to count');
    writeFileSync(done, '');
    assert.deepEqual(await Promise.all(two.map((r) => r.ended)), ['2', '2']);
    assert.equal(await run().ended, '1', 'alone');
  } finally {
    removeTmpDir(dir);
  }
});

test('where the threaded build cannot start, the run trains on one thread and says why', async () => {
  const { glue } = pthreadFiles();
  const real = require.cache[glue];
  // A runtime whose threaded build fails to start, as one without worker_threads would.
  require.cache[glue] = { id: glue, filename: glue, loaded: true, exports: () => Promise.reject(new Error('no threads in this runtime')) } as unknown as NodeJS.Module;
  try {
    await chooseBackend('wasm', [], { threads: 1 });
    const r = await chooseBackend('wasm', [], { threads: 2 });
    assert.equal(r.name, 'wasm');
    assert.equal(r.threads, 1);
    assert.match(r.threadsWhy!, /^spec threads 2; the threaded build failed \(no threads in this runtime\), so 1$/);
    assert.deepEqual(Array.from(tf.matMul(tf.tensor2d([[1, 2]]), tf.tensor2d([[3], [4]])).dataSync()), [11]);
  } finally {
    if (real) require.cache[glue] = real;
    else delete require.cache[glue];
  }
});

test('a threaded binary that fails to compile: hone backend ls still ends, and a run trains on one thread and says why', () => {
  // A copy of the built CLI whose threaded .wasm is cut short: WebAssembly.instantiate rejects.
  const dir = makeTmpDir();
  try {
    for (const sub of ['bin', 'media']) cpSync(join(ROOT, sub), join(dir, sub), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
    mkdirSync(join(dir, 'dist'));
    for (const f of readdirSync(join(ROOT, 'dist')).filter((f) => !f.endsWith('.map'))) copyFileSync(join(ROOT, 'dist', f), join(dir, 'dist', f));
    truncateSync(join(dir, 'dist', 'tfjs-backend-wasm-threaded-simd.wasm'), 4096);
    const hone = (args: string[], env: Record<string, string> = {}) =>
      spawnSync(process.execPath, [join(dir, 'bin', 'hone.js'), ...args], { cwd: dir, encoding: 'utf8', timeout: 120_000, env: { ...process.env, ...env } });
    const ls = hone(['backend', 'ls'], { HONE_THREADS: '2' });
    assert.equal(ls.status, 0, `${ls.error ?? ''} ${ls.stderr}`);
    assert.match(ls.stdout, /^wasm\s+yes/m);
    const spec = { name: 'cut', backend: 'wasm', threads: 2, data: { source: 'digits' }, model: { type: 'mlp', layers: [16] }, train: { epochs: 1 } };
    writeFileSync(join(dir, 'cut.hone.json'), JSON.stringify(spec));
    const run = hone(['run', 'cut.hone.json', '--json']);
    assert.equal(run.status, 0, run.stderr);
    const [view] = JSON.parse(run.stdout);
    assert.equal(view.status, 'completed');
    const { backend } = JSON.parse(readFileSync(join(dir, '.hone', 'runs', view.id, 'run.json'), 'utf8'));
    assert.match(backend.threadsWhy, /^spec threads 2; the threaded build failed \(WebAssembly\.instantiate\(\): .*\), so 1$/);
  } finally {
    removeTmpDir(dir);
  }
});
