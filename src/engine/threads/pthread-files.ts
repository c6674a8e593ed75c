import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export const GLUE = 'tfjs-backend-wasm-threaded-simd.js';
export const WASM = 'tfjs-backend-wasm-threaded-simd.wasm';

export interface PthreadFiles {
  /** The folder locateFile answers from. */
  dir: string;
  /** Emscripten's JS glue of the threaded build: required here, evaluated again by every pthread. */
  glue: string;
  wasm: string;
  /** Emscripten's pthread worker script, which TF.js ships as a string (wasmWorkerContents). */
  workerSource: string;
}

/**
 * Where the threaded build's files are: beside the bundle (dist/, where scripts/build.mjs copies
 * them, so the packaged extension needs no node_modules), else in the installed package.
 */
export function pthreadFiles(): PthreadFiles {
  // The worker script is a module exporting a template string: it is bundled into dist/worker.js.
  // Its one escape, "\n" inside a string literal, became a real newline there; put it back.
  const { wasmWorkerContents } = require('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.worker.js') as { wasmWorkerContents: string };
  const workerSource = wasmWorkerContents.replace(/\n/g, '\\n');
  if (existsSync(join(__dirname, GLUE)) && existsSync(join(__dirname, WASM))) {
    return { dir: __dirname, glue: join(__dirname, GLUE), wasm: join(__dirname, WASM), workerSource };
  }
  // createRequire keeps esbuild from resolving this at build time: it is the unbundled fallback.
  const pkg = dirname(createRequire(__filename).resolve('@tensorflow/tfjs-backend-wasm'));
  return { dir: pkg, glue: join(pkg, '../wasm-out', GLUE), wasm: join(pkg, WASM), workerSource };
}
