import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { MODEL_DIR } from './store';
import type { RunRecord } from './store/types';

/** What `--json` output and other programs see of a run: stable names, paths spelled out. */
export interface RunView {
  id: string;
  kind: NonNullable<RunRecord['kind']>;
  name: string;
  experiment: string;
  status: RunRecord['status'];
  backend?: string;
  backendReason?: string;
  epochs: number;
  epochsPlanned: number;
  metrics: Record<string, number>;
  best: Record<string, number>;
  bestEpoch?: number;
  message?: string;
  created: string;
  finished?: string;
  durationMs?: number;
  runDir: string;
  /** The saved TF.js model folder (model.json + weights.bin), when the run saved one. */
  modelPath?: string;
  spec: RunRecord['spec'];
  versions: Record<string, string>;
  parent?: string;
  parentRemoved?: RunRecord['parentRemoved'];
  tags: string[];
  note?: string;
  starred: boolean;
  provenance?: RunRecord['provenance'];
  sweep?: RunRecord['sweep'];
  /** Robustness results and red flags (core/robust/report.ts), when the run has them. */
  robustness?: RunRecord['robustness'];
}

export function runView(rec: RunRecord, runDir: string): RunView {
  const modelPath = join(runDir, MODEL_DIR);
  return {
    id: rec.id,
    kind: rec.kind ?? 'train',
    name: rec.name,
    experiment: rec.experiment,
    status: rec.status,
    backend: rec.backend?.name,
    backendReason: rec.backend?.reason,
    epochs: rec.epochsDone,
    epochsPlanned: rec.epochsPlanned,
    metrics: rec.final ?? {},
    best: rec.best ?? {},
    bestEpoch: rec.bestEpoch,
    message: rec.message,
    created: rec.created,
    finished: rec.finished,
    durationMs: rec.timings?.totalMs,
    runDir,
    modelPath: existsSync(join(modelPath, 'model.json')) ? modelPath : undefined,
    spec: rec.spec,
    versions: rec.versions,
    parent: rec.parent,
    parentRemoved: rec.parentRemoved,
    tags: rec.tags ?? [],
    note: rec.note,
    starred: Boolean(rec.starred),
    provenance: rec.provenance,
    sweep: rec.sweep,
    ...(rec.robustness ? { robustness: rec.robustness } : {}),
  };
}
