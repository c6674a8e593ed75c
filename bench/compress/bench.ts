// The compression benchmark (bench/compress/run.sh): real `hone run` / `hone compress` processes on the
// clone's MNIST, sequentially; every figure read back from the runs' compress.json and run.json.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { commandLine, writeSection } from '../results-md';
import { reportSection, type Row } from './report';

const ROOT = resolve(__dirname, '../..');
const QUICK = process.env.QUICK === '1';
const env = (name: string, normal: number, quick: number) => Number(process.env[name] ?? (QUICK ? quick : normal));
const EPOCHS = env('EPOCHS', 30, 2);
const LENET5_EPOCHS = env('LENET5_EPOCHS', 8, 1);
const L5_PRUNE_EPOCHS = env('LENET5_PRUNE_EPOCHS', 10, 1);
const LIMIT = process.env.LIMIT ? Number(process.env.LIMIT) : QUICK ? 6000 : undefined;
const LENET5 = process.env.LENET5 !== '0';
const example = JSON.parse(readFileSync(join(ROOT, 'examples/mnist-lenet300-compress.hone.json'), 'utf8'));
const pipeline = structuredClone(example.compress);
if (process.env.PRUNE_EPOCHS || QUICK) pipeline.prune.epochs = env('PRUNE_EPOCHS', pipeline.prune.epochs, 2);

const tmp = mkdtempSync(join(tmpdir(), 'hone-bench-compress-'));
const store = join(tmp, 'store');

function hone(args: string[]): { id: string; status: string; message?: string } {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/hone.js'), ...args, '--store', store, '--json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 << 20 });
  if ((r.status !== 0 && r.status !== 1) || !r.stdout.trim()) throw new Error(`hone ${args.join(' ')} exited ${r.status ?? r.signal} without a run`);
  const out = JSON.parse(r.stdout);
  const run = Array.isArray(out) ? out[0] : out;
  console.error(`hone ${args.slice(0, 2).join(' ')}: ${run.status} in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  return run;
}

const runFile = (id: string, f: string) => JSON.parse(readFileSync(join(store, 'runs', id, f), 'utf8'));

/** A dense model trained by `hone run`; every row compresses it, so one that did not complete ends the bench. */
function dense(name: string, model: object, train: object): string {
  const data = { source: 'mnist', path: join(ROOT, 'data/mnist'), ...(LIMIT ? { limit: LIMIT } : {}), split: { train: 0.95, val: 0.05, test: 0 }, normalize: 'scale' };
  const file = join(tmp, `${name}.hone.json`);
  writeFileSync(file, JSON.stringify({ name, seed: 1, data, model, train }));
  const run = hone(['run', file]);
  if (run.status !== 'completed') throw new Error(`dense ${name}: ${run.status}${run.message ? `: ${run.message}` : ''}`);
  return run.id;
}

/** A `hone compress` of `parent` with `compress` as its section; the row of the table. One that did not complete ends the bench. */
function compress(label: string, parent: string, section: object): Row {
  const file = join(tmp, `${label.replace(/\W+/g, '-')}.json`);
  writeFileSync(file, JSON.stringify({ compress: section }));
  const t0 = performance.now();
  const run = hone(['compress', parent, file]);
  const rec = runFile(run.id, 'run.json');
  if (rec.status !== 'completed' || !existsSync(join(store, 'runs', run.id, 'compress.json'))) throw new Error(`${label}: ${rec.status}${rec.message ? `: ${rec.message}` : ''}`);
  return { label, report: runFile(run.id, 'compress.json'), seconds: (performance.now() - t0) / 1000, epochs: Math.max(0, rec.epochsDone - 1) };
}

/** Measures every row, then writes the section; a run that fails ends the bench first, so the last good section stays. */
function main(): void {
  const started = performance.now();
  const load = loadavg();
  const rows: { model: string; rows: Row[]; denseSeconds: number }[] = [];
  try {
    let t0 = performance.now();
    const l300 = dense('lenet-300-100', example.model, { ...example.train, epochs: EPOCHS });
    const l300Seconds = (performance.now() - t0) / 1000;
    pipeline.latency = { warmup: 5, runs: 31 };
    const latency = pipeline.latency;
    const techniques: [string, object][] = [
      ['dense (measured, packed losslessly)', { latency }],
      [`magnitude pruning ${pipeline.prune.sparsity} (${pipeline.prune.scope}, polynomial, ${pipeline.prune.epochs} epochs)`, { prune: pipeline.prune, lr: pipeline.lr, latency }],
      ['structured pruning 0.5 of units (L1, 3 epochs)', { structured: { fraction: 0.5, epochs: 3 }, lr: pipeline.lr, latency }],
      ['8-bit affine per tensor (post-training)', { quantize: { bits: 8 }, latency }],
      ['float16 (post-training)', { quantize: { bits: 16 }, latency }],
      ['4-bit affine per channel (QAT, 2 epochs)', { quantize: { bits: 4, granularity: 'channel', epochs: 2 }, lr: pipeline.lr, latency }],
      [`weight sharing, ${pipeline.share.clusters} clusters (k-means, ${pipeline.share.epochs} epochs)`, { share: pipeline.share, lr: pipeline.lr, latency }],
      ['full pipeline (the example: prune + share + Huffman)', pipeline],
    ];
    rows.push({ model: 'LeNet-300-100', rows: techniques.map(([label, c]) => compress(label, l300, c)), denseSeconds: l300Seconds });
    if (LENET5) {
      t0 = performance.now();
      const l5 = dense('lenet-5', { type: 'cnn', filters: [6, 16], kernelSize: 5, pool: 2, dense: [120, 84], activation: 'relu' }, { ...example.train, epochs: LENET5_EPOCHS });
      const l5Seconds = (performance.now() - t0) / 1000;
      // LeNet-5's conv1 has 150 weights and is the most sensitive layer: it keeps half.
      const l5pipeline = { ...pipeline, prune: { ...pipeline.prune, sparsity: 0.95, epochs: L5_PRUNE_EPOCHS, layers: { conv1: 0.5, dense3: 0.7 } }, share: { ...pipeline.share, epochs: 2 } };
      rows.push({ model: 'LeNet-5', denseSeconds: l5Seconds, rows: [
        compress('dense (measured, packed losslessly)', l5, { latency }),
        compress('structured pruning 0.5 of filters and units (L1, 1 epoch)', l5, { structured: { fraction: 0.5, epochs: 1 }, lr: pipeline.lr, latency }),
        compress('8-bit affine per tensor (post-training)', l5, { quantize: { bits: 8 }, latency }),
        compress(`full pipeline (prune 0.95 global, conv1 0.5, dense3 0.7, ${l5pipeline.prune.epochs} epochs; share ${pipeline.share.clusters}, 2 epochs)`, l5, l5pipeline),
      ] });
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const body = reportSection({
    command: commandLine('bench/compress/run.sh', ['QUICK', 'EPOCHS', 'PRUNE_EPOCHS', 'LENET5', 'LENET5_EPOCHS', 'LENET5_PRUNE_EPOCHS', 'LIMIT']),
    rows, load, loadAfter: loadavg(), cores: cpus().length, cpu: cpus()[0]?.model ?? '', minutes: (performance.now() - started) / 60000,
    settings: { EPOCHS, LENET5_EPOCHS, LIMIT, QUICK, pruneEpochs: pipeline.prune.epochs }, example,
  });
  writeSection(join(ROOT, 'bench/RESULTS.md'), 'Compression', body);
  console.log(body);
}

try {
  main();
} catch (e) {
  console.error(`bench/compress failed, bench/RESULTS.md left as it was: ${(e as Error).message}`);
  process.exit(1);
}
