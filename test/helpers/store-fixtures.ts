import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { Spec } from '../../src/core/spec/types';
import type { MetricLine } from '../../src/core/store/types';
import type { NewRun } from '../../src/core/store/record';
import { appendMetric, createRun, writeRunRecord } from '../../src/core/store';
import type { RunKind, RunRecord } from '../../src/core/store/types';

/** A minimal new run for store tests; the spec is opaque to the store. */
export function fakeRun(over: Partial<NewRun> = {}): NewRun {
  return {
    name: 'baseline',
    experiment: 'demo',
    spec: {} as Spec,
    overrides: [],
    seed: 1,
    versions: { hone: '0.1.0' },
    epochsPlanned: 3,
    ...over,
  };
}

/** A fake run in `store`, recorded completed (with `patch` on its record): for commands that act on finished runs. */
export function completedRun(store: string, patch: Partial<RunRecord> = {}): { record: RunRecord; dir: string } {
  const { record, dir } = createRun(store, fakeRun());
  const done = { ...record, ...patch, status: 'completed' as const };
  writeRunRecord(dir, done);
  return { record: done, dir };
}

/**
 * A completed run of one epoch whose metric line is `final` (its final and best values alike), for views
 * that compare runs: its id.
 */
export function finishedRun(store: string, o: { name: string; experiment: string; kind: RunKind; final: Record<string, number>; spec: object; parent?: string }): string {
  const { record, dir } = createRun(store, { ...fakeRun({ name: o.name, experiment: o.experiment, kind: o.kind, spec: o.spec as Spec, epochsPlanned: 1 }), ...(o.parent ? { parent: o.parent } : {}) });
  appendMetric(dir, { epoch: 1, step: 1, time: 1, lr: 0.01, tensors: 1, metrics: o.final });
  writeRunRecord(dir, { ...record, status: 'completed', epochsDone: 1, finished: new Date().toISOString(), final: o.final, best: o.final });
  return record.id;
}

/** A metric line for epoch `epoch` with the given metrics. */
export function fakeMetric(epoch: number, metrics: Record<string, number>): MetricLine {
  return { epoch, step: (epoch + 1) * 10, time: epoch * 1.5, lr: 0.01, metrics, tensors: 42 };
}

/** The pid of a process that has already exited. */
export function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', '']);
  if (r.pid === undefined) throw new Error('could not spawn node');
  return r.pid;
}

const CHILD = join(__dirname, 'store-child.ts');

/** Runs `store-child.ts <args>` under tsx; resolves with its exit code, rejects with its stderr. */
export function runStoreChild(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], { stdio: ['ignore', 'inherit', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('error', reject);
    p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`store-child ${args[0]} exited ${code}: ${err}`))));
  });
}
