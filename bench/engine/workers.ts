// Runs sharing the machine: the same `hone run` MLP job alone on one thread, alone with the default
// thread count (all cores), and twice at once with --parallel 2 (the fair share: cores / 2 each),
// through the real CLI, runner and worker processes.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { MNIST } from './workloads';

const ROOT = resolve(__dirname, '../..');

export interface WorkersCase {
  what: string;
  runs: number;
  wallS: number;
  /** Per run: training throughput from run.json timings (samples / trainMs) and the threads it used. */
  perRun: { rate: number; threads: number }[];
}

export interface WorkersResult {
  limit: number;
  epochs: number;
  /** Training samples one run processes: 90% of `limit`, `epochs` times. */
  samples: number;
  backend: string;
  cases: WorkersCase[];
}

function hone(args: string[], env: Record<string, string> = {}): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/hone.js'), ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
  if (r.status !== 0) throw new Error(`hone ${args.join(' ')} failed: ${r.stderr.slice(-500)}`);
  return (performance.now() - t0) / 1000;
}

const perRun = (store: string, samples: number) =>
  readdirSync(join(store, 'runs')).map((id) => {
    const rec = JSON.parse(readFileSync(join(store, 'runs', id, 'run.json'), 'utf8'));
    return { rate: samples / (rec.timings.trainMs / 1000), threads: rec.backend.threads as number, backend: rec.backend.name as string };
  });

/** Runs an MLP job (MNIST, `limit` images, `epochs` epochs, wasm) alone on 1 thread, alone on auto threads, and twice at once. */
export function measureWorkers(tmp: string, limit: number, epochs: number): WorkersResult {
  const spec = {
    name: 'bench-workers', seed: 1, backend: 'wasm',
    data: { source: 'mnist', path: MNIST, limit, split: { train: 0.9, val: 0.1, test: 0 }, normalize: 'scale' },
    model: { type: 'mlp', layers: [512, 512], activation: 'relu' },
    train: { optimizer: 'adam', lr: 0.001, batchSize: 256, epochs },
  };
  const file = join(tmp, 'workers.hone.json');
  writeFileSync(file, JSON.stringify(spec));
  const samples = Math.round(limit * 0.9) * epochs;
  const plan: [string, string[], Record<string, string>][] = [
    ['one run, 1 thread (HONE_THREADS=1)', [file], { HONE_THREADS: '1' }],
    ['one run, default threads', [file], {}],
    ['two runs at once (--parallel 2), default threads', [file, file, '--parallel', '2'], {}],
  ];
  const cases = plan.map(([what, args, env], i) => {
    const store = join(tmp, `case${i}`);
    const wallS = hone(['run', ...args, '--store', store, '--json'], env);
    const runs = perRun(store, samples);
    return { what, runs: runs.length, wallS, perRun: runs.map(({ rate, threads }) => ({ rate, threads })), backend: runs[0].backend };
  });
  return { limit, epochs, samples, backend: cases[0].backend, cases: cases.map(({ backend: _, ...c }) => c) };
}
