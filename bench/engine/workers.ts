// 1 vs 2 workers: the same `hone run` job alone, then twice with --parallel 2, through the real CLI and runner.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { MNIST } from './workloads';

const ROOT = resolve(__dirname, '../..');

export interface WorkersResult {
  limit: number;
  epochs: number;
  /** Training samples one run processes: 90% of `limit`, `epochs` times. */
  samples: number;
  oneWallS: number;
  twoWallS: number;
  /** Training throughput of each run, from run.json timings (samples / trainMs). */
  onePerRun: number[];
  twoPerRun: number[];
  backend: string;
}

function hone(args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/hone.js'), ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`hone ${args.join(' ')} failed: ${r.stderr.slice(-500)}`);
  return (performance.now() - t0) / 1000;
}

const rates = (store: string, samples: number) =>
  readdirSync(join(store, 'runs')).map((id) => {
    const rec = JSON.parse(readFileSync(join(store, 'runs', id, 'run.json'), 'utf8'));
    return { rate: samples / (rec.timings.trainMs / 1000), backend: rec.backend.name as string };
  });

/** Runs an MLP job (MNIST, `limit` images, `epochs` epochs, wasm) once alone and twice at once. */
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
  const oneWallS = hone(['run', file, '--store', join(tmp, 'one'), '--json']);
  const twoWallS = hone(['run', file, file, '--parallel', '2', '--store', join(tmp, 'two'), '--json']);
  const [one, two] = [rates(join(tmp, 'one'), samples), rates(join(tmp, 'two'), samples)];
  return { limit, epochs, samples, oneWallS, twoWallS, onePerRun: one.map((r) => r.rate), twoPerRun: two.map((r) => r.rate), backend: one[0].backend };
}
