// `make bench` -> section "Engine" of bench/RESULTS.md: training throughput (samples/s) of Hone's loop
// on 1..N threads, raw TF.js model.fit and PyTorch on the same machine, a per-kernel profile of Hone's
// steps, and runs sharing the machine. Each measurement runs in its own process (measure.ts,
// profile.ts, torch_bench.py), one after another; everything it measures is fixed by the machine's
// core count (threads 1, 2, 4, 8 up to it), so a rerun elsewhere measures the same things.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { writeSection } from '../results-md';
import { describeMachine } from './machine';
import { measureWorkers } from './workers';
import { MNIST } from './workloads';
import { engineReport, type Measurement } from './report';
import type { StepProfile } from './profile';

const ROOT = resolve(__dirname, '../..');

function jsonLines<T>(cmd: string, args: string[]): (T | Measurement)[] {
  const r = spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 24 });
  const lines = r.stdout.split('\n').filter((l) => l.startsWith('{'));
  if (!lines.length) return [{ impl: args.join(' '), workload: '', backend: '', error: (r.stderr || `exit ${r.status}`).trim().split('\n').pop()?.slice(0, 300) }];
  return lines.map((l) => JSON.parse(l));
}

function main(): void {
  const machine = describeMachine();
  const top = Math.min(machine.cores, 8);
  const threads = [...new Set([1, 2, 4, 8].filter((t) => t < top).concat(top))];
  const hone = [...threads.map((t) => `hone@${t}`), 'fit@1'].join(',');
  /** [implementations, workload, backend, timed steps, warm-up steps, rounds]. */
  const wasmPlan: [string, string, string, number, number, number][] = [[hone, 'mlp', 'wasm', 30, 3, 4], [hone, 'lenet', 'wasm', 50, 3, 4]];
  // The cpu backend is slow: few steps, one round.
  const oncePlan: typeof wasmPlan = [
    ['fit', 'mlp', 'wasm-stock', 8, 2, 1], ['hone,fit', 'mlp', 'cpu', 5, 1, 1], ['fit', 'lenet', 'wasm-stock', 2, 1, 1], ['hone,fit', 'lenet', 'cpu', 2, 1, 1],
  ];
  const measure = ([impls, workload, backend, steps, warmup, rounds]: (typeof wasmPlan)[number]) =>
    jsonLines<Measurement>(process.execPath, ['--import', 'tsx', 'bench/engine/measure.ts', impls, workload, backend, String(steps), String(warmup), String(rounds)]) as Measurement[];
  // PyTorch on each thread count, OpenMP and OpenBLAS both held to it (torch_bench.py sets them); above one
  // thread also with OpenBLAS on one thread, since its threads and PyTorch's OpenMP threads can contend for
  // the same cores. The backend label says which (torch_bench.py writes it).
  const torch = () => threads.flatMap((t) => (t === 1 ? [t] : [t, 1]).flatMap((blas) =>
    (jsonLines<Measurement>('/usr/bin/python3', ['bench/engine/torch_bench.py', MNIST, String(t), '40', '60', '3', String(blas)]) as Measurement[]).map((m) => ({ ...m, threads: t }))));
  // Hone on wasm and PyTorch, the pair compared, alternate in two passes; each keeps its better one.
  const byKey = new Map<string, Measurement>();
  const key = (m: Measurement) => [m.impl, m.workload, m.backend, m.threads ?? 1, m.asked ?? ''].join('|');
  for (let pass = 0; pass < 2; pass++) {
    for (const m of [...wasmPlan.flatMap(measure), ...torch()]) {
      console.log(JSON.stringify(m));
      const prev = byKey.get(key(m));
      if (!prev || (m.samplesPerSec ?? 0) > (prev.samplesPerSec ?? 0)) byKey.set(key(m), m);
    }
  }
  const once = oncePlan.flatMap(measure);
  once.forEach((m) => console.log(JSON.stringify(m)));
  const all = [...byKey.values()];
  const results: Measurement[] = [...all.filter((m) => m.impl !== 'pytorch'), ...once, ...all.filter((m) => m.impl === 'pytorch')];
  const profiles: StepProfile[] = [];
  for (const workload of ['mlp', 'lenet']) {
    for (const t of [...new Set([1, top])]) {
      for (const p of jsonLines<StepProfile>(process.execPath, ['--import', 'tsx', 'bench/engine/profile.ts', workload, String(t), '30'])) {
        if ('kernels' in p) profiles.push(p);
        else console.log(JSON.stringify(p));
      }
    }
  }
  const tmp = mkdtempSync(join(tmpdir(), 'hone-bench-engine-'));
  let workers;
  try {
    workers = measureWorkers(tmp, 20000, 2);
    console.log(JSON.stringify(workers));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const body = engineReport({ machine, loadEnd: loadavg()[0], results, profiles, workers, threads });
  writeSection(join(ROOT, 'bench/RESULTS.md'), 'Engine', body);
  console.log(body);
}

main();
