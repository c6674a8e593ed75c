// What the engine bench ran on: CPU model, cores, the SIMD features the kernels could use, and what
// the JS engine's WebAssembly offers, so that results from different machines read side by side.
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import * as tf from '@tensorflow/tfjs';

/** /proc/cpuinfo flags worth naming: x86 vector widths, FMA, the AI extensions (VNNI, BF16, AMX). */
const FLAGS = ['sse4_2', 'avx', 'avx2', 'fma', 'avx512f', 'avx512_vnni', 'avx512_bf16', 'avx_vnni', 'amx_tile', 'amx_bf16', 'amx_int8', 'asimd', 'sve'];

export interface Machine {
  cpu: string;
  cores: number;
  /** Of FLAGS, the ones this CPU reports. */
  simd: string[];
  /** WebAssembly features of this Node (TF.js 4.22's binaries use SIMD128 and threads, not relaxed SIMD). */
  wasm: string[];
  node: string;
  tfjs: string;
  load: number;
}

function cpuFlags(): string[] {
  try {
    const info = readFileSync('/proc/cpuinfo', 'utf8');
    const line = info.split('\n').find((l) => /^(flags|Features)\s*:/.test(l)) ?? '';
    const have = new Set(line.split(':')[1]?.trim().split(/\s+/) ?? []);
    return FLAGS.filter((f) => have.has(f));
  } catch {
    return [];
  }
}

/** Tiny modules that use one instruction each: i32x4.splat (SIMD128), f32x4.relaxed_madd (relaxed SIMD). */
const SPLAT = [65, 0, 253, 17]; // i32.const 0; i32x4.splat
const PROBES: Record<string, number[]> = {
  simd128: [0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 8, 1, 6, 0, ...SPLAT, 11],
  'relaxed-simd (FMA)': [0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 19, 1, 17, 0, ...SPLAT, ...SPLAT, ...SPLAT, 253, 133, 2, 11],
  threads: [0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 5, 4, 1, 3, 1, 1, 10, 11, 1, 9, 0, 65, 0, 254, 16, 2, 0, 26, 11],
};

export function describeMachine(): Machine {
  const wasm = Object.entries(PROBES).filter(([, bytes]) => {
    try {
      return WebAssembly.validate(new Uint8Array(bytes));
    } catch {
      return false;
    }
  }).map(([name]) => name);
  return { cpu: cpus()[0]?.model.trim() ?? 'unknown', cores: availableParallelism(), simd: cpuFlags(), wasm, node: process.version, tfjs: tf.version.tfjs, load: loadavg()[0] };
}

export const machineLine = (m: Machine): string =>
  `${m.cores} cores (${m.cpu}; ${m.simd.join(', ') || 'no x86 SIMD flags read'}), Node ${m.node} (WebAssembly: ${m.wasm.join(', ')}), TF.js ${m.tfjs}`;
