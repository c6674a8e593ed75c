// `make bench` -> section "Engine" of bench/RESULTS.md: training throughput (samples/s) of Hone's loop,
// raw TF.js model.fit and PyTorch on the same machine, and 1 vs 2 worker processes. Each measurement runs
// in its own process (measure.ts, torch_bench.py), one after another.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { writeSection } from '../results-md';
import { measureWorkers } from './workers';
import { MNIST } from './workloads';
import { engineReport, type Measurement } from './report';

const ROOT = resolve(__dirname, '../..');

/**
 * [implementations, workload, backend, timed steps, warm-up steps, rounds]. Hone and model.fit share a
 * process and alternate round by round, so both see the same machine (other load only slows a round,
 * so the best round counts). The cpu backend is slow: few steps, one round.
 */
const PLAN: [string, string, string, number, number, number][] = [
  ['hone,fit', 'mlp', 'wasm', 40, 3, 3], ['fit', 'mlp', 'wasm-stock', 8, 2, 1], ['hone,fit', 'mlp', 'cpu', 5, 1, 1],
  ['hone,fit', 'lenet', 'wasm', 60, 3, 3], ['fit', 'lenet', 'wasm-stock', 2, 1, 1], ['hone,fit', 'lenet', 'cpu', 2, 1, 1],
];

function jsonLines(cmd: string, args: string[]): Measurement[] {
  const r = spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 24 });
  const lines = r.stdout.split('\n').filter((l) => l.startsWith('{'));
  if (!lines.length) return [{ impl: args.join(' '), workload: '', backend: '', error: (r.stderr || `exit ${r.status}`).trim().split('\n').pop() }];
  return lines.map((l) => JSON.parse(l));
}

function main(): void {
  const load = loadavg()[0];
  const results: Measurement[] = [];
  const keep = (m: Measurement) => (console.log(JSON.stringify(m)), results.push(m));
  for (const [impls, workload, backend, steps, warmup, rounds] of PLAN) {
    jsonLines(process.execPath, ['--import', 'tsx', 'bench/engine/measure.ts', impls, workload, backend, String(steps), String(warmup), String(rounds)]).forEach(keep);
  }
  jsonLines('/usr/bin/python3', ['bench/engine/torch_bench.py', MNIST, '2', '40', '60', '3']).forEach(keep);
  const tmp = mkdtempSync(join(tmpdir(), 'hone-bench-engine-'));
  let workers;
  try {
    workers = measureWorkers(tmp, 20000, 2);
    console.log(JSON.stringify(workers));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const machine = `${cpus().length} cores (${cpus()[0].model.trim()}), Node ${process.version}, TF.js ${tf.version.tfjs}; 1-minute load average ${load.toFixed(1)} at the start`;
  const body = engineReport(results, workers, machine);
  writeSection(join(ROOT, 'bench/RESULTS.md'), 'Engine', body);
  console.log(body);
}

main();
