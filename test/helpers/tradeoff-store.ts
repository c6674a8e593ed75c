// A store for the trade-off tests, written with the store API (real run folders, run.json, metrics.jsonl,
// provenance collected from this repository): trained models, compressed children of some (sizes, sparsity,
// latency, test accuracy), robustness evaluations of some of those (robust accuracy at the headline eps and
// per eps), a run with no test accuracy, and a three-objective sweep whose trials point at trained runs.
import { join } from 'node:path';
import { appendMetric, createRun, writeRunRecord } from '../../src/core/store';
import type { RunKind, RunRecord } from '../../src/core/store/types';
import { collectProvenance } from '../../src/core/provenance';
import { newSweepDir, writeSweepRecord, type SweepRecord } from '../../src/core/sweep/record';
import { ROOT, digitsSpec } from './cli';

let clock = Date.UTC(2025, 0, 1);
function run(store: string, name: string, kind: RunKind, final: Record<string, number>, parent?: string, command = ['hone', 'run', `${name}.hone.json`]): string {
  const spec = { ...digitsSpec(name), ...(kind === 'compress' ? { compress: { prune: { sparsity: final.sparsity ?? 0.5 } } } : {}) };
  const { record, dir } = createRun(store, { name, experiment: name.split(' ')[0], kind, spec: spec as never, overrides: [], seed: 1, versions: {}, epochsPlanned: 1, ...(parent ? { parent } : {}) });
  appendMetric(dir, { epoch: 1, step: 10, time: 1, lr: 0.01, tensors: 1, metrics: final });
  const at = new Date((clock += 60_000)).toISOString();
  const rec: RunRecord = { ...record, created: at, status: 'completed', epochsDone: 1, finished: at, final, best: final, provenance: collectProvenance(dir, ROOT, command) };
  writeRunRecord(dir, rec);
  return record.id;
}

export interface TradeoffStore {
  ids: Record<string, string>;
  sweepId: string;
}

export function writeTradeoffStore(store: string): TradeoffStore {
  const ids: Record<string, string> = {};
  const add = (key: string, kind: RunKind, final: Record<string, number>, parent?: string) =>
    (ids[key] = run(store, key, kind, final, parent && ids[parent], kind === 'train' ? undefined : ['hone', kind === 'compress' ? 'compress' : 'attack', parent ? ids[parent] : '']));
  add('wide', 'train', { test_accuracy: 0.975, val_accuracy: 0.97, params: 50_000 });
  add('narrow', 'train', { test_accuracy: 0.95, val_accuracy: 0.94, params: 8_000 });
  add('wide pruned', 'compress', { test_accuracy: 0.97, packed_bytes: 60_000, compression_ratio: 3.3, sparsity: 0.7, latency_b1_ms: 1.2 }, 'wide');
  add('wide int4', 'compress', { test_accuracy: 0.96, packed_bytes: 14_000, compression_ratio: 14.3, sparsity: 0.9, latency_b1_ms: 1.1 }, 'wide');
  add('narrow pruned', 'compress', { test_accuracy: 0.94, packed_bytes: 9_000, compression_ratio: 3.6, sparsity: 0.5, latency_b1_ms: 0.4 }, 'narrow');
  add('narrow int2', 'compress', { test_accuracy: 0.80, packed_bytes: 2_500, compression_ratio: 12.8, sparsity: 0.5, latency_b1_ms: 0.4 }, 'narrow');
  add('bad', 'compress', { test_accuracy: 0.90, packed_bytes: 70_000, compression_ratio: 0.5, sparsity: 0.1, latency_b1_ms: 2 }, 'wide');
  add('wide int4 attacked', 'evaluate', { robust_accuracy: 0.41, 'eps_0.1/robust_accuracy': 0.41, 'eps_0.3/robust_accuracy': 0.12, clean_accuracy: 0.96 }, 'wide int4');
  add('narrow pruned attacked', 'evaluate', { robust_accuracy: 0.22, 'eps_0.1/robust_accuracy': 0.22, 'eps_0.3/robust_accuracy': 0.05, clean_accuracy: 0.94 }, 'narrow pruned');
  add('no accuracy', 'compress', { packed_bytes: 5_000, compression_ratio: 10, sparsity: 0.8 }, 'narrow');
  // A three-objective sweep (accuracy up, packed bytes down, robust accuracy up) over trained runs.
  const values = [[0.96, 20_000, 0.30], [0.95, 8_000, 0.10], [0.93, 9_000, 0.05], [0.97, 40_000, 0.20], [0.90, 3_000, 0.35], [0.91, 3_500, 0.30]];
  const trialIds = values.map((v, n) => run(store, `trial ${n}`, 'train', { test_accuracy: v[0], val_accuracy: v[0] - 0.01 }));
  const { id, dir } = newSweepDir(store);
  const at = new Date(clock).toISOString();
  const sweep: SweepRecord = {
    id, name: 'three-way', created: at, baseDir: store, raw: digitsSpec('three-way'), epochs: 1, status: 'completed', elapsedMs: 1000, finished: at,
    trials: values.map((v, n) => ({ number: n, params: { 'train.lr': 0.01 * (n + 1) }, state: 'completed', values: v, intermediate: { 1: v }, epochs: 1, runId: trialIds[n], started: at, finished: at })),
    sweep: {
      parameters: { 'train.lr': { type: 'float', min: 0.001, max: 0.1, log: true } } as unknown as SweepRecord['sweep']['parameters'],
      objectives: [{ metric: 'test_accuracy', direction: 'maximize' }, { metric: 'packed_bytes', direction: 'minimize' }, { metric: 'robust_accuracy', direction: 'maximize' }],
      sampler: { type: 'random' }, stopper: { type: 'none' } as never, trials: 6, parallel: 1, seed: 1,
    },
  };
  writeSweepRecord(dir, sweep);
  return { ids, sweepId: id };
}

export const storeIn = (dir: string) => join(dir, 'store');
