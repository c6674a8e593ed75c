// The "Engine" section of bench/RESULTS.md from the measurements of engine.ts.
import type { Machine } from './machine';
import { machineLine } from './machine';
import type { StepProfile } from './profile';
import type { WorkersResult } from './workers';
import { stepFlops, WORKLOADS, type Workload } from './workloads';

export interface Measurement {
  impl: string;
  workload: string;
  backend: string;
  /** The threads it ran on. */
  threads?: number;
  /** The threads asked for, when the backend ran on fewer (the threaded build fell back), and why. */
  asked?: number;
  threadsWhy?: string;
  samplesPerSec?: number;
  msPerStep?: number;
  steps?: number;
  version?: string;
  error?: string;
  /** How many rounds measured it; the best is reported. */
  rounds?: number;
}

export interface EngineBench {
  machine: Machine;
  loadEnd: number;
  results: Measurement[];
  profiles: StepProfile[];
  workers?: WorkersResult;
  /** The thread counts measured: 1, 2, 4, 8 up to the cores. */
  threads: number[];
}

const IMPL: Record<string, string> = { hone: 'Hone (train loop)', fit: 'raw TF.js model.fit', pytorch: 'PyTorch' };
const BACKEND: Record<string, string> = { wasm: 'wasm (Hone kernels)', 'wasm-stock': 'wasm (stock TF.js 4.22)', cpu: 'cpu' };
const WL = ['mlp', 'lenet'] as const;
const fmt = (v: number | undefined, digits = 0) => (v === undefined ? 'n/a' : v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }));
const ratio = (a?: Measurement, b?: Measurement) => (a?.samplesPerSec && b?.samplesPerSec ? (a.samplesPerSec / b.samplesPerSec).toFixed(2) : 'n/a');
const gflops = (w: Workload, m?: Measurement) => (m?.samplesPerSec ? (stepFlops(w) * m.samplesPerSec) / WORKLOADS[w].batch / 1e9 : undefined);
const short = (w: Workload) => WORKLOADS[w].describe.replace(/ \(.*\)/, '');

export function engineReport(b: EngineBench): string {
  const ok = b.results.filter((m) => !m.error);
  const find = (impl: string, w: string, backend: string, threads?: number) =>
    ok.find((m) => m.impl === impl && m.workload === w && m.backend === backend && (threads === undefined || (m.threads ?? 1) === threads));
  const hone = (w: string, t: number) => find('hone', w, 'wasm', t);
  /** PyTorch's best configuration at `t` threads. */
  const torch = (w: string, t: number) => ok.filter((m) => m.impl === 'pytorch' && m.workload === w && m.threads === t).sort((x, y) => (y.samplesPerSec ?? 0) - (x.samplesPerSec ?? 0))[0];
  const best = (ms: (Measurement | undefined)[]) => ms.filter(Boolean).sort((x, y) => (y!.samplesPerSec ?? 0) - (x!.samplesPerSec ?? 0))[0];
  const top = b.threads[b.threads.length - 1];

  const scaling = WL.map((w) => {
    const one = hone(w, 1);
    const cells = b.threads.map((t) => `${fmt(hone(w, t)?.samplesPerSec)} (${ratio(hone(w, t), one)}x)`);
    // Amdahl: the share of a 1-thread step that did not get faster, from the time on `top` threads.
    const tN = hone(w, top)?.msPerStep;
    const serial = one?.msPerStep && tN && top > 1 ? ((top * tN) / one.msPerStep - 1) / (top - 1) : undefined;
    return `| ${short(w)} | ${cells.join(' | ')} | ${serial === undefined ? 'n/a' : `${Math.round(100 * serial)}%`} |`;
  });

  const versus = WL.flatMap((w) => {
    const rows = b.threads.map((t) => [String(t), hone(w, t), torch(w, t)] as const);
    const hb = best(b.threads.map((t) => hone(w, t)));
    const pb = best(b.threads.map((t) => torch(w, t)));
    rows.push([`best (Hone ${hb?.threads ?? '?'}, PyTorch ${pb?.threads ?? '?'})`, hb, pb] as never);
    return rows.map(([t, h, p]) =>
      `| ${short(w)} | ${t} | ${fmt(h?.samplesPerSec)} | ${fmt(gflops(w, h), 1)} | ${fmt(p?.samplesPerSec)} (${p?.backend ?? 'n/a'}) | ${fmt(gflops(w, p), 1)} | ${ratio(h, p)} |`);
  });

  const order = (m: Measurement) => [WL.indexOf(m.workload as Workload), ['hone', 'fit', 'pytorch'].indexOf(m.impl), ['wasm', 'wasm-stock', 'cpu'].indexOf(m.backend), m.threads ?? 1];
  const sorted = [...b.results].sort((x, y) => {
    const [a, c] = [order(x), order(y)];
    return a.map((v, i) => v - c[i]).find((d) => d !== 0) ?? 0;
  });
  const rows = sorted.map((m) => {
    const what = m.error ? `fails: ${m.error} | |` : `${fmt(m.samplesPerSec, 1)} | ${fmt(m.msPerStep, 1)} | ${m.steps} x ${m.rounds ?? 1}`;
    return `| ${WORKLOADS[m.workload as Workload]?.describe ?? m.workload} | ${IMPL[m.impl] ?? m.impl}${m.version ? ` ${m.version}` : ''} | ${BACKEND[m.backend] ?? m.backend} | ${m.threads ?? 1}${m.asked ? ` (asked for ${m.asked}: ${m.threadsWhy ?? 'no reason given'})` : ''} | ${what} |`;
  });

  const others = WL.map((w) =>
    `| ${short(w)} | ${ratio(hone(w, 1), find('fit', w, 'wasm', 1))} | ${ratio(find('hone', w, 'cpu'), find('fit', w, 'cpu'))} | ${ratio(hone(w, 1), find('fit', w, 'wasm-stock'))} |`);

  return [
    `Command: \`bash bench/engine/run.sh\` (\`make bench\` runs it). ${machineLine(b.machine)}. 1-minute load average ${b.machine.load.toFixed(2)} at the start, ${b.loadEnd.toFixed(2)} at the end: other work on the machine slows some rounds, and the best round counts.`,
    '',
    'Steady-state training throughput on MNIST (first images of the training file, scaled to [0, 1]), Adam lr 1e-3,',
    'timed between batches after warm-up steps, best of several rounds (a fresh model each). The implementations',
    'measured together share one fresh process per workload and backend and alternate round by round (Hone on each',
    'thread count, model.fit), so all meet the same load; Hone on wasm and PyTorch are measured twice, alternately,',
    'and each keeps its better pass. Hone on wasm runs TF.js\'s single-threaded SIMD build on',
    '1 thread and its threaded SIMD build (XNNPACK\'s threadpool, src/engine/threads) on more; both carry Hone\'s',
    'kernels (src/engine/kernels). "stock" is TF.js 4.22\'s wasm backend as shipped. PyTorch is Debian\'s',
    'python3-torch with OpenBLAS, at each thread count with both its OpenMP threads and OpenBLAS\'s held to it',
    '(OMP_NUM_THREADS, OPENBLAS_NUM_THREADS; torch.set_num_threads alone leaves OpenBLAS a thread per core), and',
    'above one thread also with OpenBLAS held to one thread (its pthreads and PyTorch\'s OpenMP threads can contend',
    'for the cores); the better of the two is compared.',
    '',
    `### One run on 1 to ${top} threads (Hone, wasm; samples/s, speedup over 1 thread)`,
    '',
    `| workload | ${b.threads.map((t) => `${t} thread${t > 1 ? 's' : ''}`).join(' | ')} | share of the 1-thread step that did not speed up (Amdahl) |`,
    `| --- | ${b.threads.map(() => '---').join(' | ')} | --- |`,
    ...scaling,
    '',
    'Goal: 1.8x on 2 threads.',
    '',
    '### Hone and PyTorch at equal thread counts',
    '',
    'GFLOP/s: the step\'s matrix products and convolutions (2 per multiply-add: forward, weight gradients, input',
    'gradients of all layers but the first) over the step time, element-wise work left out.',
    '',
    '| workload | threads | Hone samples/s | Hone GFLOP/s | PyTorch samples/s (configuration) | PyTorch GFLOP/s | Hone / PyTorch (goal >= 0.5) |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...versus,
    '',
    '### Every measurement',
    '',
    '| workload | implementation | backend | threads | samples/s (best round) | ms/step | timed steps x rounds |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
    '| workload | Hone / model.fit, wasm, 1 thread (goal >= 0.95) | Hone / model.fit, cpu | Hone wasm / stock wasm model.fit |',
    '| --- | --- | --- | --- |',
    ...others,
    '',
    profileTable(b.profiles),
    '',
    workersTable(b.workers),
    '',
    'LeNet-5 on the full training set: `bash bench/engine/lenet-full.sh` (long; writes its own section below).',
  ].join('\n');
}

/** The kernels that take most of a step on 1 thread, beside their time on the most threads measured. */
function profileTable(profiles: StepProfile[]): string {
  if (!profiles.length) return 'Per-kernel profile: not measured.';
  const counts = [...new Set(profiles.map((p) => p.threads))].sort((a, b) => a - b);
  const lines = WL.flatMap((w) => {
    const byThreads = counts.map((t) => profiles.find((p) => p.workload === w && p.threads === t));
    const one = byThreads[0];
    if (!one) return [];
    const cell = (p: StepProfile | undefined, name: string) => fmt(p?.kernels.find((k) => k.name === name)?.minMs, 2);
    const kernelSum = (p?: StepProfile) => p?.kernels.reduce((s, k) => s + k.minMs, 0);
    const shown = one.kernels.filter((k) => k.minMs >= 0.03 * one.stepMinMs).slice(0, 8);
    const rest = (p?: StepProfile) => (p ? kernelSum(p)! - p.kernels.filter((k) => shown.some((s) => s.name === k.name)).reduce((s, k) => s + k.minMs, 0) : undefined);
    return [
      ...shown.map((k) => `| ${short(w)} | ${k.name} | ${k.callsPerStep} | ${byThreads.map((p) => cell(p, k.name)).join(' | ')} |`),
      `| ${short(w)} | other kernels | | ${byThreads.map((p) => fmt(rest(p), 2)).join(' | ')} |`,
      `| ${short(w)} | outside kernels (TF.js dispatch, tape, JS) | | ${byThreads.map((p) => fmt(p && p.stepMinMs - kernelSum(p)!, 2)).join(' | ')} |`,
      `| ${short(w)} | **step** | | ${byThreads.map((p) => `**${fmt(p?.stepMinMs, 2)}**`).join(' | ')} |`,
    ];
  });
  return [
    '### Where a step\'s time goes (`bench/engine/profile.ts`)',
    '',
    'Every kernel TF.js dispatches in Hone\'s training step, timed by tf.profile over 30 steps; each call\'s',
    'time is its minimum over the steps (its cost when it has the cores), summed per kernel. Hone\'s own',
    'kernels count with the kernels they call inside. BatchMatMul includes the transposes of backpropagation',
    '(WebAssembly SIMD tiles, src/engine/kernels/simd-transpose.ts) and XNNPACK\'s packing of the right operand,',
    'which changes every step; both run on one thread. HoneAdamUpdate is the optimizer\'s whole step for one',
    'variable (src/engine/kernels/simd-adam.ts), also on one thread.',
    '',
    `| workload | kernel | calls/step | ${counts.map((t) => `ms/step, ${t} thread${t > 1 ? 's' : ''}`).join(' | ')} |`,
    `| --- | --- | --- | ${counts.map(() => '---').join(' | ')} |`,
    ...lines,
  ].join('\n');
}

function workersTable(w: WorkersResult | undefined): string {
  if (!w) return 'Runs sharing the machine: not measured.';
  const base = w.cases[0];
  const throughput = (c: WorkersResult['cases'][number]) => (c.runs * w.samples) / c.wallS;
  return [
    '### Runs sharing the machine',
    '',
    `The same \`hone run\` job through the real CLI, runner and worker processes: an MLP 784-512-512-10 on ${w.limit} MNIST images`,
    `(90% for training), ${w.epochs} epochs, batch 256, backend ${w.backend}. Wall time includes starting the workers and`,
    'loading the data. "Default threads" is the fair share: a run gets cores / live runs, within the cores other',
    'work leaves idle when it starts (src/engine/threads/count.ts); the threads each run took are from its run.json.',
    '',
    '| case | wall time | threads of each run | training samples/s of each run (run.json) | total throughput vs one 1-thread run (wall) |',
    '| --- | --- | --- | --- | --- |',
    ...w.cases.map((c) => `| ${c.what} | ${c.wallS.toFixed(1)} s | ${c.perRun.map((r) => r.threads).join(', ')} | ${c.perRun.map((r) => fmt(r.rate)).join(', ')} | ${(throughput(c) / throughput(base)).toFixed(2)} |`),
    '',
    'Goal: two runs at once on 2 cores >= 1.8x one run.',
  ].join('\n');
}
