// LeNet-5 trained by Hone on the full MNIST training set through the real CLI (`hone run`, backend auto),
// then scored once on the official 10,000 test images. Writes section "Engine: LeNet-5 on full MNIST".
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { commandLine, writeSection } from '../results-md';
import { MNIST, WORKLOADS } from './workloads';

const ROOT = resolve(__dirname, '../..');
const EPOCHS = Number(process.env.EPOCHS ?? 12);

const spec = {
  name: 'lenet5-mnist-full', seed: 1, backend: 'auto',
  data: { source: 'mnist', path: MNIST, split: { train: 0.95, val: 0.05, test: 0 }, normalize: 'scale' },
  model: WORKLOADS.lenet.spec,
  train: { optimizer: 'adam', lr: 0.001, schedule: { type: 'cosine', warmupEpochs: 0, minLr: 0 }, batchSize: 64, epochs: EPOCHS },
};

function main(): void {
  const tmp = mkdtempSync(join(tmpdir(), 'hone-lenet-full-'));
  try {
    const file = join(tmp, 'lenet.hone.json');
    writeFileSync(file, JSON.stringify(spec, null, 2));
    const load = loadavg()[0];
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [join(ROOT, 'bin/hone.js'), 'run', file, '--store', join(tmp, 'store'), '--json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    const wall = (performance.now() - t0) / 1000;
    const runs = join(tmp, 'store/runs');
    const id = r.status === 0 ? readdirSync(runs)[0] : undefined;
    if (!id) throw new Error(`hone run exited ${r.status ?? r.signal}: the run did not complete`);
    const rec = JSON.parse(readFileSync(join(runs, id, 'run.json'), 'utf8'));
    const lines = readFileSync(join(runs, id, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const acc = rec.final?.test_accuracy;
    const rows = lines.map((l) => `| ${l.epoch} | ${l.time.toFixed(0)} s | ${l.metrics.loss.toFixed(4)} | ${(100 * l.metrics.accuracy).toFixed(2)}% | ${(100 * l.metrics.val_accuracy).toFixed(2)}% |`);
    const body = `Command: \`${commandLine('bench/engine/lenet-full.sh', ['EPOCHS'])}\` (not part of \`make bench\`: it takes about ten minutes on a quiet
2-core machine). \`hone run\` of ${WORKLOADS.lenet.describe.replace(', batch 64', '')} on the full MNIST training set
(57,000 images for training, 3,000 for validation), Adam lr 1e-3 with cosine decay, batch 64, ${EPOCHS} epochs, backend
auto, seed 1; then the official 10,000 test images, once. ${cpus().length} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'}), 1-minute load average ${load.toFixed(1)} at the start.

Status **${rec.status}** on backend **${rec.backend?.name}**: test accuracy **${acc === undefined ? 'n/a' : (100 * acc).toFixed(2) + '%'}** (goal >= 98.8%),
wall time ${wall.toFixed(0)} s (training ${((rec.timings?.trainMs ?? 0) / 1000).toFixed(0)} s, ${(lines.length * 57000 / ((rec.timings?.trainMs ?? 1) / 1000)).toFixed(0)} samples/s including validation).

| epoch | time | loss | accuracy | val accuracy |
| --- | --- | --- | --- | --- |
${rows.join('\n')}`;
    writeSection(join(ROOT, 'bench/RESULTS.md'), 'Engine: LeNet-5 on full MNIST', body);
    console.log(body);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

try {
  main();
} catch (e) {
  console.error(`bench/engine/lenet-full failed, bench/RESULTS.md left as it was: ${(e as Error).message}`);
  process.exit(1);
}
