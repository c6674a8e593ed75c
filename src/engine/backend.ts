import * as tf from '@tensorflow/tfjs';
import * as wasm from '@tensorflow/tfjs-backend-wasm';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import type { BackendChoice, BackendName, LayerSpec } from '../core/spec/types';
import type { BackendReport } from '../core/store/types';
import { registerWasmKernels } from './kernels';
import { loadWebGpu, requireOptional } from './optional-backends';
import { isAuto, resolveThreads, type ThreadsChoice } from './threads/count';
import { busyCores } from './threads/busy';
import { liveWorkers } from './threads/live-workers';
import { threadedFailure, trimPthreadPool, useWasmThreads } from './threads/wasm-threads';

/** Preference order for `auto`: fastest first. */
export const BACKEND_ORDER: BackendName[] = ['tensorflow-gpu', 'tensorflow', 'webgpu', 'wasm', 'cpu'];

/**
 * Where the wasm binaries are: beside the bundle (dist/, where the build copies them, so the packaged
 * extension needs no node_modules), else in the installed package (tests run from source).
 */
function wasmDir(): string {
  const file = 'tfjs-backend-wasm.wasm';
  if (existsSync(join(__dirname, file))) return __dirname;
  // createRequire keeps esbuild from resolving this at build time: it is the unbundled fallback.
  return dirname(createRequire(__filename).resolve('@tensorflow/tfjs-backend-wasm'));
}

/** Loads a backend into TF.js and returns the name TF.js registered it under; throws why it cannot. */
type Loader = (threads: number) => Promise<string>;

export interface BackendOptions {
  /** Threads for the wasm backend: the spec's `threads` (0 or absent: HONE_THREADS, else auto; see threads/count.ts). */
  threads?: number;
  /** Forward multiply-adds of one training step, for auto's small-model rule (threads/count.ts). */
  stepMacs?: number;
}

/** The thread count a wasm backend gets here and now (the auto rule looks at the machine for 0.2 s). */
export async function wasmThreadsFor(o: BackendOptions): Promise<ThreadsChoice> {
  const auto = isAuto(o.threads, process.env);
  return resolveThreads({ spec: o.threads, env: process.env, cores: availableParallelism(), runs: auto ? liveWorkers() : 1, busy: auto ? await busyCores() : 0, stepMacs: o.stepMacs });
}

const NATIVE = 'it downloads libtensorflow at install time, so Hone never requires it';

const LOADERS: Record<BackendName, Loader> = {
  'tensorflow-gpu': async () => (requireOptional('@tensorflow/tfjs-node-gpu', `${NATIVE}; needs CUDA 11.2 + cuDNN 8.1`, 'tensorflow-gpu'), 'tensorflow'),
  tensorflow: async () => (requireOptional('@tensorflow/tfjs-node', NATIVE, 'tensorflow'), 'tensorflow'),
  webgpu: async () => (await loadWebGpu(), 'webgpu'),
  wasm: async (threads) => {
    useWasmThreads(threads);
    wasm.setWasmPaths(wasmDir() + '/');
    registerWasmKernels();
    return 'wasm';
  },
  cpu: async () => 'cpu',
};

const GRADIENT_KERNELS: Partial<Record<LayerSpec['type'], string[]>> = {
  conv2d: ['Conv2DBackpropFilter', 'Conv2DBackpropInput'],
  maxPool2d: ['MaxPoolGrad'],
  avgPool2d: ['AvgPoolGrad'],
};

/** Kernels that training a stack of layers needs beyond the basics (some backends lack gradient kernels). */
export const requiredKernels = (layers: LayerSpec[]): string[] => [...new Set(layers.flatMap((l) => GRADIENT_KERNELS[l.type] ?? []))];

/** A tiny numeric check: a matmul and a gradient with known answers. */
function selfTest(): string | undefined {
  const [mm, grad] = tf.tidy(() => {
    const m = tf.matMul(tf.tensor2d([[1, 2], [3, 4]]), tf.tensor2d([[5], [6]]));
    const g = tf.grad((x: tf.Tensor) => x.square().sum())(tf.tensor1d([1, -2, 3]));
    return [Array.from(m.dataSync()), Array.from(g.dataSync())];
  });
  const ok = [17, 39].every((v, i) => Math.abs(mm[i] - v) < 1e-4) && [2, -4, 6].every((v, i) => Math.abs(grad[i] - v) < 1e-4);
  return ok ? undefined : `self-test gave wrong numbers (matmul ${mm}, grad ${grad})`;
}

async function tryBackend(name: BackendName, kernels: string[], threads: number): Promise<string | undefined> {
  try {
    const tfName = await LOADERS[name](threads);
    if (!(await tf.setBackend(tfName))) return `TF.js could not initialise backend '${tfName}'`;
    await tf.ready();
    if (tfName === 'wasm') trimPthreadPool(tf.backend());
    const missing = kernels.filter((k) => !tf.getKernel(k, tfName));
    if (missing.length) return `lacks kernel${missing.length > 1 ? 's' : ''} ${missing.join(', ')} needed to train this model`;
    return selfTest();
  } catch (e) {
    return (e as Error).message.split('\n')[0];
  }
}

/**
 * The wasm backend on `t.threads` threads; where the threaded build cannot start (no worker_threads or
 * SharedArrayBuffer in this runtime, its files missing), on one thread, saying why.
 */
async function tryWasm(kernels: string[], t: ThreadsChoice): Promise<{ why?: string; threadsWhy: string }> {
  const why = await tryBackend('wasm', kernels, t.threads);
  if (!why || t.threads === 1 || (await tryBackend('wasm', kernels, 1))) return { why, threadsWhy: t.why };
  return { threadsWhy: `${t.why}; the threaded build failed (${threadedFailure() ?? why}), so 1` };
}

/**
 * Picks the backend for a run: the requested one, or for `auto` the first in BACKEND_ORDER that loads,
 * has the kernels the model needs and passes the self-test. Throws when a requested backend fails.
 * On wasm the report says how many threads it runs and why.
 */
export async function chooseBackend(choice: BackendChoice, kernels: string[] = [], o: BackendOptions = {}): Promise<BackendReport> {
  const skipped: BackendReport['skipped'] = {};
  for (const name of choice === 'auto' ? BACKEND_ORDER : [choice]) {
    const { why, threadsWhy } = name === 'wasm' ? await tryWasm(kernels, await wasmThreadsFor(o)) : { why: await tryBackend(name, kernels, 1), threadsWhy: '' };
    if (!why) {
      const reason = choice === 'auto' ? `first backend in order ${BACKEND_ORDER.join(' > ')} that works here` : 'requested in the spec';
      if (name !== 'wasm') return { name, reason, skipped };
      return { name, reason, skipped, threads: wasm.getThreadsCount(), threadsWhy };
    }
    skipped[name] = why;
  }
  const detail = Object.entries(skipped).map(([k, v]) => `${k}: ${v}`).join('; ');
  throw new Error(`no usable backend (${detail})`);
}

/** Every backend's status on this machine, for `hone backend ls`. */
export async function probeBackends(): Promise<{ name: BackendName; ok: boolean; detail: string }[]> {
  const out = [];
  for (const name of BACKEND_ORDER) {
    const why = name === 'wasm' ? (await tryWasm([], await wasmThreadsFor({}))).why : await tryBackend(name, [], 1);
    out.push({ name, ok: !why, detail: why ?? 'loads and passes the self-test' });
  }
  return out;
}
