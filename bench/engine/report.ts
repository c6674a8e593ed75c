// The "Engine" section of bench/RESULTS.md from the measurements of engine.ts.
import type { WorkersResult } from './workers';
import { WORKLOADS, type Workload } from './workloads';

export interface Measurement {
  impl: string;
  workload: string;
  backend: string;
  samplesPerSec?: number;
  msPerStep?: number;
  steps?: number;
  version?: string;
  error?: string;
  /** How many rounds measured it; the best is reported. */
  rounds?: number;
}

const IMPL: Record<string, string> = { hone: 'Hone (train loop)', fit: 'raw TF.js model.fit', pytorch: 'PyTorch' };
const BACKEND: Record<string, string> = { wasm: 'wasm (Hone kernels)', 'wasm-stock': 'wasm (stock TF.js 4.22)', cpu: 'cpu' };
const fmt = (v: number | undefined, digits = 0) => (v === undefined ? 'n/a' : v.toFixed(digits));
const ratio = (a?: Measurement, b?: Measurement) => (a?.samplesPerSec && b?.samplesPerSec ? (a.samplesPerSec / b.samplesPerSec).toFixed(2) : 'n/a');

export function engineReport(all: Measurement[], w: WorkersResult | undefined, machine: string): string {
  const find = (impl: string, workload: string, backend?: string) => all.find((m) => m.impl === impl && m.workload === workload && (!backend || m.backend.startsWith(backend)) && !m.error);
  const rows = all.map((m) => {
    const what = m.error ? `fails: ${m.error} | |` : `${fmt(m.samplesPerSec, 1)} | ${fmt(m.msPerStep, 1)} | ${m.steps} x ${m.rounds ?? 1}`;
    return `| ${WORKLOADS[m.workload as Workload]?.describe ?? m.workload} | ${IMPL[m.impl] ?? m.impl}${m.version ? ` ${m.version}` : ''} | ${BACKEND[m.backend] ?? m.backend} | ${what} |`;
  });
  const ratios = (['mlp', 'lenet'] as const).map((wl) => {
    const hone = find('hone', wl, 'wasm');
    return `| ${WORKLOADS[wl].describe} | ${ratio(hone, find('pytorch', wl))} | ${ratio(hone, find('fit', wl, 'wasm'))} | ${ratio(find('hone', wl, 'cpu'), find('fit', wl, 'cpu'))} | ${ratio(hone, find('fit', wl, 'wasm-stock'))} |`;
  });
  const workers = w
    ? [
        `1 vs 2 workers: \`hone run job.hone.json\` against \`hone run job.hone.json job.hone.json --parallel 2\`, the job an MLP 784-512-512-10 on ${w.limit} MNIST images (90% for training), ${w.epochs} epochs, batch 256, backend ${w.backend}; wall time includes starting the workers and loading the data.`,
        '',
        '| workers | wall time | training samples/s of each run (run.json timings) | throughput vs 1 worker (wall) |',
        '| --- | --- | --- | --- |',
        `| 1 | ${w.oneWallS.toFixed(1)} s | ${w.onePerRun.map((r) => r.toFixed(0)).join(', ')} | 1.00 |`,
        `| 2 | ${w.twoWallS.toFixed(1)} s | ${w.twoPerRun.map((r) => r.toFixed(0)).join(', ')} | ${((2 * w.oneWallS) / w.twoWallS).toFixed(2)} (goal >= 1.8) |`,
      ].join('\n')
    : '1 vs 2 workers: not measured.';
  return `Command: \`bash bench/engine/run.sh\` (\`make bench\` runs it). ${machine}.
Steady-state training throughput on MNIST (first images of the training file, scaled to [0, 1]), Adam lr 1e-3,
timed between batches after warm-up steps, best of several rounds (a fresh model each). Hone and model.fit
share one fresh process per workload and backend and alternate round by round, so both meet the same load.
Hone's wasm backend carries Hone's kernels (src/engine/kernels: the missing Conv2DBackpropFilter, a correct
MaxPoolGrad, transposed matmuls and conv input gradients through XNNPACK, row gathers); raw TF.js on "wasm (Hone
kernels)" runs model.fit on that same backend, "stock" is TF.js 4.22's wasm backend as shipped. PyTorch is
Debian's python3-torch with OpenBLAS, 2 threads. TF.js's wasm backend runs single-threaded in Node.

| workload | implementation | backend | samples/s (best round) | ms/step | timed steps x rounds |
| --- | --- | --- | --- | --- | --- |
${rows.join('\n')}

| workload | Hone wasm / PyTorch (goal >= 0.5) | Hone / model.fit, wasm (goal >= 0.95) | Hone / model.fit, cpu | Hone wasm / stock wasm model.fit |
| --- | --- | --- | --- | --- |
${ratios.join('\n')}

${workers}

LeNet-5 on the full training set: \`bash bench/engine/lenet-full.sh\` (long; writes its own section below).`;
}
