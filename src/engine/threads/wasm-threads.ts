/**
 * TF.js's threaded-SIMD wasm build, run in Node. TF.js 4.22 never picks it there (its
 * WASM_HAS_MULTITHREAD_SUPPORT flag is false under Node, tensorflow/tfjs#3830), and its own loader
 * hands emscripten a Blob URL for the pthread worker script, which Node's worker_threads cannot load.
 * The emscripten glue itself supports Node, so Hone calls it directly with a thin adapter:
 *
 * - the pthread worker script (which TF.js ships as a string) runs through worker_threads with
 *   `eval: true` and no execArgv (loaders such as tsx stay out of the 8 pooled threads);
 * - `mainScriptUrlOrBlob` is the glue's file on disk, which each pthread evaluates;
 * - the wasm binary is instantiated here (emscripten's `instantiateWasm` hook) so that the import
 *   `emscripten_num_logical_cores` answers 2 x threads: TF.js's C++ caps its threadpool at
 *   logical cores / 2 (it assumes two hyperthreads per core), which on a 2-vCPU machine is 1;
 * - the BackendWasm class of @tensorflow/tfjs-backend-wasm wraps the module, so every kernel
 *   (TF.js's and Hone's) runs unchanged; only XNNPACK's threadpool (matmul, conv) uses the threads.
 *
 * Threads share the wasm memory (a SharedArrayBuffer) and live inside the worker process: a SIGKILL
 * or process.exit ends them with it.
 */
import * as tf from '@tensorflow/tfjs';
import * as wasm from '@tensorflow/tfjs-backend-wasm';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker as NodeWorker } from 'node:worker_threads';
import { pthreadFiles } from './pthread-files';
import { MAX_THREADS } from './count';

type Factory = (config: Record<string, unknown>) => Promise<EmscriptenModule>;
interface EmscriptenModule {
  cwrap(name: string, ret: string | null, args: string[]): (...a: number[]) => number;
  PThread: { unusedWorkers: NodeWorker[]; runningWorkers: NodeWorker[] };
  tfjs?: unknown;
}

const WASM_PRIORITY = 2;
/** TF.js's own factory for the 'wasm' backend (single-threaded SIMD build in Node), kept to go back to. */
let stockFactory: (() => unknown) | undefined;
let current = 1;

let failure: string | undefined;

/** The thread count the 'wasm' backend was last set up with. */
export const wasmThreads = (): number => current;

/** Why the threaded build last failed to start, if it did. */
export const threadedFailure = (): string | undefined => failure;

/**
 * Makes the next initialisation of TF.js's 'wasm' backend use `threads` threads: 1 is TF.js's own
 * single-threaded SIMD build; 2-8 the threaded-SIMD build through the adapter above. Replaces an
 * initialised wasm backend of another count (its tensors are lost: call it before making any).
 */
export function useWasmThreads(threads: number): void {
  const n = Math.min(MAX_THREADS, Math.max(1, Math.floor(threads)));
  stockFactory ??= tf.findBackendFactory('wasm') as () => unknown;
  if (n === current && tf.findBackendFactory('wasm')) return;
  tf.removeBackend('wasm');
  if (n === 1) wasm.setThreadsCount(1);
  const threaded = async () => {
    try {
      return new wasm.BackendWasm((await threadedModule(n)) as never);
    } catch (e) {
      failure = (e as Error).message.split('\n')[0];
      throw e;
    }
  };
  const factory = n === 1 ? stockFactory : threaded;
  tf.registerBackend('wasm', factory as never, WASM_PRIORITY);
  current = n;
}

/**
 * Pthread workers: emscripten's worker script from a string, without the parent's execArgv. Their
 * stdout and stderr streams are not piped into the process's own (eight pipes would each add
 * listeners there) and not read (a flowing stream would keep the process alive): emscripten's
 * threads print through the main thread or with fs.writeSync(2), neither of which uses them.
 */
function pthreadWorkerClass(source: string): typeof NodeWorker {
  return class PthreadWorker extends NodeWorker {
    constructor() {
      super(source, { eval: true, execArgv: [], stdout: true, stderr: true });
    }
  };
}

async function threadedModule(threads: number): Promise<EmscriptenModule> {
  const files = pthreadFiles();
  const factory = require(files.glue) as Factory;
  const binary = readFileSync(files.wasm);
  // The glue creates its 8 pooled workers with `new Worker(file)`, reading the global `Worker`,
  // which it first sets to worker_threads' class: a fixed property makes it take ours instead.
  const PthreadWorker = pthreadWorkerClass(files.workerSource);
  Object.defineProperty(globalThis, 'Worker', { configurable: true, get: () => PthreadWorker, set: () => {} });
  // A binary that fails to compile or link rejects here, not in the glue: the glue would rethrow an
  // unhandled rejection and end the process, where the caller falls back to one thread.
  let fail: (e: unknown) => void = () => undefined;
  const failed = new Promise<never>((_, reject) => (fail = reject));
  // The glue makes this object its Module: on failure its pooled workers are ended (they would keep the process alive).
  const moduleArg = {
    mainScriptUrlOrBlob: files.glue,
    locateFile: (path: string) => join(files.dir, path),
    instantiateWasm(imports: { env: Record<string, unknown> }, receive: (i: WebAssembly.Instance, m: WebAssembly.Module) => void) {
      imports.env.emscripten_num_logical_cores = () => 2 * threads;
      WebAssembly.instantiate(binary, imports as WebAssembly.Imports).then((r) => receive(r.instance, r.module), fail);
      return {};
    },
  };
  const module = await Promise.race([failed, factory(moduleArg)]).catch((e) => {
    endPthreads((moduleArg as { PThread?: EmscriptenModule['PThread'] }).PThread, true);
    throw e;
  });
  wasm.setThreadsCount(threads);
  module.tfjs = {
    init: module.cwrap('init', null, []),
    initWithThreadsCount: module.cwrap('init_with_threads_count', null, ['number']),
    getThreadsCount: module.cwrap('get_threads_count', 'number', []),
    registerTensor: module.cwrap('register_tensor', null, ['number', 'number', 'number']),
    disposeData: module.cwrap('dispose_data', null, ['number']),
    dispose: module.cwrap('dispose', null, []),
  };
  return module;
}

/**
 * After BackendWasm has made XNNPACK's threadpool (threads - 1 pthreads): the unused pooled workers are
 * ended (each is a V8 isolate holding memory), and the running ones no longer keep the event loop alive
 * (they serve the main thread only, so a script that is done may exit).
 */
export function trimPthreadPool(backend: unknown): void {
  endPthreads((backend as { wasm?: EmscriptenModule }).wasm?.PThread, false);
}

/** Ends the unused pooled workers, and the running ones too when `all` (else unrefs them). */
function endPthreads(pthread: EmscriptenModule['PThread'] | undefined, all: boolean): void {
  if (!pthread) return;
  pthread.unusedWorkers.forEach((w) => void w.terminate());
  pthread.unusedWorkers.length = 0;
  pthread.runningWorkers.forEach((w) => (all ? void w.terminate() : w.unref()));
}
