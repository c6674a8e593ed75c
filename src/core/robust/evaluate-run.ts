/**
 * `hone attack <run>` and the Runs tree's "Evaluate Robustness…": the robustness of a run's saved model,
 * without retraining, as a child run of kind `evaluate` (parent: that run). Any run with a saved `model/`
 * can be attacked, a compressed or otherwise derived one too: its data come from the nearest run up its
 * lineage whose spec is a training spec. Everything is checked before anything is written; a problem is
 * an InputError naming its JSON path (exit 2).
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { InputError } from '../errors';
import { recordProvenance } from '../provenance';
import { launchRun, type LaunchOptions, type QueuedRun, type RunHandle } from '../runner';
import { applyOverrides, formatProblems, setString, validateSpec } from '../spec';
import { reportProblems } from '../spec/bound';
import { unfillEvaluateDefaults } from '../spec/checks-robust';
import { epsList } from '../spec/robust-types';
import type { Spec } from '../spec/types';
import { createRun, findRun, MODEL_DIR, readRunRecord, runDirOf, updateIndexEntry } from '../store';
import type { RunRecord } from '../store/types';

/** The evaluate worker's bundle, beside the other bundles in dist/: pass `join(distDir, ROBUST_WORKER)` as `workerPath`. */
export const ROBUST_WORKER = 'robust-worker.js';

/** What to evaluate: fields of `robustness.evaluate` over the source's own (its spec's, else the defaults). */
export interface AttackRequest {
  /** `--eps 0.1,0.3`: the headline first. */
  eps?: number[];
  norm?: string;
  /** `--attacks apgd-ce,square`: each with its default settings. */
  attacks?: string[];
  points?: number;
  /** `--set path=value` assignments, applied after the fields above (`robustness.evaluate.batch=250`). */
  sets?: string[];
  versions?: Record<string, string>;
  /** What made the run, for its provenance: default this process's command line. */
  command?: string[];
}

export interface PlannedEvaluation {
  source: RunRecord;
  /** The evaluate run's spec: the training spec of the source's lineage with `robustness.evaluate` set. */
  spec: Spec;
  /** The assignments that made it from that spec, as the run records them. */
  overrides: string[];
}

const isTrainingSpec = (s: unknown): s is Spec =>
  typeof s === 'object' && s !== null && ['data', 'model', 'train'].every((k) => typeof (s as Record<string, unknown>)[k] === 'object');

/** The training spec of `rec` or of the nearest run up its lineage that has one. */
function trainingSpecOf(storeDir: string, rec: RunRecord): Spec | undefined {
  const seen = new Set<string>();
  for (let r: RunRecord | undefined = rec; r && !seen.has(r.id); r = r.parent ? readRunRecord(runDirOf(storeDir, r.parent)) : undefined) {
    if (isTrainingSpec(r.spec)) return r.spec;
    seen.add(r.id);
  }
  return undefined;
}

/** Builds and checks the evaluate run for `ref`, or throws an InputError saying what is wrong. Writes nothing. */
export function planEvaluation(storeDir: string, ref: string, req: AttackRequest = {}): PlannedEvaluation {
  const found = findRun(storeDir, ref);
  const source = found.record;
  if (!existsSync(join(found.dir, MODEL_DIR, 'model.json'))) {
    throw new InputError(`run ${source.id}: ${join(found.dir, MODEL_DIR)}: expected a saved model (model.json, weights.bin) to attack, found none (status ${source.status}); only a run that saved its model can be evaluated`);
  }
  const base = trainingSpecOf(storeDir, source);
  if (!base) throw new InputError(`run ${source.id}: expected a training spec (its data and model) in its own record or up its lineage, found none`);
  const own = base.robustness;
  // Defaults filled from other fields (PGD's stepSize from steps) are filled again for the values in force here.
  const evaluate = own?.evaluate ? unfillEvaluateDefaults(own.evaluate) : own?.train ? { eps: own.train.eps } : {};
  // Validated without the source's train sections: they were accepted when it ran, and their filled
  // defaults would read as values the user wrote (weightDecay without adamw). They are put back after.
  // A federated source's section goes too: the attack evaluates its saved global model, it trains nothing.
  const { train, sweep: _sweep, robustness: _robustness, federated: _federated, ...rest } = base;
  const raw = { ...rest, robustness: { evaluate } };
  const overrides = [
    ...(req.eps ? [setString('robustness.evaluate.eps', req.eps.length === 1 ? req.eps[0] : req.eps)] : []),
    ...(req.norm !== undefined ? [setString('robustness.evaluate.norm', req.norm)] : []),
    ...(req.attacks ? [setString('robustness.evaluate.attacks', req.attacks.map((attack) => ({ attack })))] : []),
    ...(req.points !== undefined ? [setString('robustness.evaluate.points', req.points)] : []),
    ...(req.sets ?? []),
  ];
  const over = applyOverrides(raw, overrides, { roots: ['robustness.evaluate'], why: "hone attack evaluates the run's saved model on its own data" });
  const v = (over.value as Spec).robustness?.evaluate?.eps === undefined
    ? { problems: [{ path: 'robustness.evaluate.eps', expected: 'an eps to attack with (give --eps; the run\'s spec has none)', found: 'nothing' }] }
    : validateSpec(over.value, { baseDir: source.specPath ? dirname(source.specPath) : process.cwd() });
  const problems = reportProblems(over.problems, v.problems);
  if (problems.length || !('spec' in v) || !v.spec) throw new InputError(formatProblems(`run ${source.id}`, problems));
  const spec: Spec = { ...v.spec, train, robustness: { ...(own?.train ? { train: own.train } : {}), evaluate: v.spec.robustness!.evaluate } };
  return { source, spec, overrides };
}

/** Records the evaluate run of a plan, `queued`, with its provenance, and indexes it. */
export function queueEvaluation(storeDir: string, plan: PlannedEvaluation, req: AttackRequest = {}): QueuedRun {
  const { source, spec, overrides } = plan;
  const eps = [...new Set(epsList(spec.robustness!.evaluate!))];
  const stored = createRun(storeDir, {
    kind: 'evaluate',
    name: `${source.name} [attack eps=${eps.join(',')}${spec.robustness!.evaluate!.norm === 'l2' ? ' l2' : ''}]`,
    experiment: source.experiment,
    ...(source.specPath ? { specPath: source.specPath } : {}),
    spec,
    overrides,
    seed: spec.seed,
    versions: { node: process.version, ...req.versions },
    epochsPlanned: eps.length,
    parent: source.id,
  });
  recordProvenance(stored, source.specPath ? dirname(source.specPath) : process.cwd(), req.command ?? process.argv);
  return { ...stored, indexed: updateIndexEntry(storeDir, stored.record).catch(() => undefined) };
}

/**
 * The one call for a client: plans (throwing an InputError on bad input, nothing written), queues the
 * child run and starts its worker (`o.workerPath`: dist/robust-worker.js, see ROBUST_WORKER). The handle's
 * `done` resolves with the final record: `final` holds the metrics (core/robust/metrics.ts), `robustness`
 * the report and its red flags.
 */
export function startEvaluation(storeDir: string, ref: string, req: AttackRequest, o: LaunchOptions): RunHandle & { plan: PlannedEvaluation } {
  const plan = planEvaluation(storeDir, ref, req);
  return { ...launchRun(storeDir, queueEvaluation(storeDir, plan, req), o), plan };
}
