/**
 * A generated store for the dashboard benchmark: `runs` finished runs, each with `points` epochs of 5
 * metrics (loss, val_loss, accuracy, val_accuracy, penalty) plus the learning rate. Runs are made with
 * the store API; each metrics.jsonl is written in one call, with the bytes `appendMetric` writes line by
 * line (10 million appendFileSync calls would take minutes), and its metrics cache is written as the
 * training worker writes it when a run ends. Run names end in a group tag, `g00` to `gNN`, of 20 runs each.
 */
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRun, METRICS_FILE, readMetricColumns, writeRunRecord } from '../../src/core/store';
import type { Spec } from '../../src/core/spec/types';
import { createRng } from '../../src/core/rng';

const LRS = [0.1, 0.03, 0.01, 0.003, 0.001];
const L2S = [0, 1e-4, 1e-3, 1e-2];

export function generateStore(store: string, runs: number, points: number): void {
  // Noise from a table of seeded normals: drawing 50 million fresh ones would dominate the generation.
  const rng = createRng(42);
  const noise = Float64Array.from({ length: 65_536 }, () => Math.abs(rng.normal()));
  let k = 0;
  const n = () => noise[(k = (k + 40_503) & 65_535)];
  for (let i = 0; i < runs; i++) {
    const lr = LRS[i % LRS.length];
    const l2 = L2S[Math.floor(i / LRS.length) % L2S.length];
    const spec = { name: 'bench', seed: i, data: { source: 'digits' }, model: { type: 'mlp', layers: [64 + 32 * (i % 3)] }, train: { optimizer: 'adam', lr, l2, epochs: points } };
    // Groups of 20 runs (`g00` is runs 0, groups, 2 x groups, ...): the benchmark compares one group.
    const name = `run ${String(i).padStart(4, '0')} g${String(i % Math.max(1, Math.floor(runs / 20))).padStart(2, '0')}`;
    const { record, dir } = createRun(store, { name, experiment: 'bench', spec: spec as unknown as Spec, overrides: [`train.lr=${lr}`, `train.l2=${l2}`], seed: i, versions: { hone: '0.1.0' }, epochsPlanned: points });
    const rate = lr * 2000 / points;
    const lines: string[] = [];
    let best = { loss: Infinity, val_loss: Infinity, accuracy: 0, val_accuracy: 0, penalty: Infinity };
    let last = best;
    for (let e = 1; e <= points; e++) {
      const decay = Math.exp(-rate * e);
      const m = {
        loss: 0.05 + 2 * decay + 0.02 * n(),
        val_loss: 0.08 + 2 * decay + 0.04 * n(),
        accuracy: 0.99 - 0.9 * decay - 0.01 * n(),
        val_accuracy: 0.97 - 0.9 * decay - 0.02 * n(),
        penalty: l2 * (10 + 5 * (1 - decay)),
      };
      lines.push(`{"epoch":${e},"step":${e * 34},"time":${(e * 0.25).toFixed(3)},"lr":${lr},"metrics":{"loss":${m.loss},"val_loss":${m.val_loss},"accuracy":${m.accuracy},"val_accuracy":${m.val_accuracy},"penalty":${m.penalty}},"tensors":36}\n`);
      best = { loss: Math.min(best.loss, m.loss), val_loss: Math.min(best.val_loss, m.val_loss), accuracy: Math.max(best.accuracy, m.accuracy), val_accuracy: Math.max(best.val_accuracy, m.val_accuracy), penalty: Math.min(best.penalty, m.penalty) };
      last = m;
    }
    appendFileSync(join(dir, METRICS_FILE), lines.join(''));
    readMetricColumns(dir);
    const created = Date.parse(record.created);
    writeRunRecord(dir, {
      ...record, status: 'completed', epochsDone: points, final: last, best, started: record.created,
      finished: new Date(created + points * 250).toISOString(), timings: { loadMs: 100, trainMs: points * 250, totalMs: points * 250 + 100 },
      backend: { name: 'wasm', reason: 'generated', skipped: {} }, model: { params: 17226, layers: ['Dense [N,64] 4160', 'Dense [N,10] 650'] },
    });
  }
}
