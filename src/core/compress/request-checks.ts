/**
 * What `hone compress` checks beyond the spec's validation, against the parent run: the train fields the
 * request may set (and the parent's filled defaults that no longer apply), the parent's saved network,
 * its data, and no retraining of a model federated learning trained.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors';
import type { Spec, SpecProblem } from '../spec';
import { structuredProblems } from '../spec/checks-compress';
import { showFound } from '../spec/describe';
import { joinPath } from '../spec/paths';
import { MODEL_DIR, readRunRecord, runDirOf } from '../store';
import { kindOf, type FederatedOrigin, type RunRecord, type TrainRecord } from '../store/types';
import { loadDataset } from '../../engine/data';
import { dataChange, dataProvenance } from '../../engine/data-hash';
import { namedLayers, savedLayers } from './layers';

/** Options only some optimizers use, and which. */
const OPTIMIZER_ONLY: Record<string, readonly string[]> = { momentum: ['momentum', 'nesterov'], weightDecay: ['adamw'] };

/**
 * `train` without the options its (final) optimizer ignores, unless the request wrote them: the parent's
 * snapshot holds them as filled defaults, which validation would otherwise take for values the user wrote
 * for the wrong optimizer (a momentum parent compressed with adam).
 */
export function unusedDropped(train: Record<string, unknown>, written: Record<string, unknown>): Record<string, unknown> {
  const out = { ...train };
  for (const [key, users] of Object.entries(OPTIMIZER_ONLY)) if (!users.includes(train.optimizer as string) && written[key] === undefined) delete out[key];
  return out;
}

/**
 * What the spec asks that the parent's saved network cannot give, when it is not the network its spec
 * builds (a structurally pruned parent has fewer units): units for structured pruning to remove, and
 * initial values for rewinding.
 */
export function parentModelProblems(parent: TrainRecord & { dir: string }, spec: Spec): SpecProblem[] {
  const c = spec.compress;
  let saved;
  try {
    saved = savedLayers(JSON.parse(readFileSync(join(parent.dir, MODEL_DIR, 'model.json'), 'utf8')));
  } catch {
    saved = undefined;
  }
  if (!c || !saved) return [];
  const whose = ` in run ${parent.id}'s model`;
  const out = c.structured ? structuredProblems(c.structured, saved, whose) : [];
  const built = namedLayers(spec.model);
  const shrunk = saved.flatMap((l) => {
    const units = built.find((b) => b.name === l.name)?.units;
    return !l.output && units !== l.units ? [`${l.name} has ${l.units} units, the spec ${units}`] : [];
  });
  if (c.prune?.schedule.type === 'iterative' && c.prune.schedule.rewind === 'init' && shrunk.length) {
    out.push({
      path: 'compress.prune.schedule.rewind', found: showFound('init'),
      expected: `"none": run ${parent.id}'s model is not the network its spec builds (${shrunk.join(', ')}: structurally pruned), so it has no initial values to rewind to`,
    });
  }
  return out;
}

/**
 * Refuses a parent whose data changed since it trained (its provenance's SHA-256 against the data as the
 * worker would load it): the child would retrain, normalise and measure the parent's model on other data.
 */
export function sameDataAsParent(parent: TrainRecord, spec: Spec): void {
  const then = parent.provenance?.data;
  if (!then) return;
  let changed: string | undefined;
  try {
    changed = dataChange(then, dataProvenance(loadDataset(spec.data, spec.seed, process.cwd()), spec.data, process.cwd()));
  } catch (e) {
    throw new InputError(`run ${parent.id} cannot be compressed: its data does not load, to be checked against the data it trained on: ${(e as Error).message}`);
  }
  if (changed) throw new InputError(`run ${parent.id} cannot be compressed: its data changed since it trained (${changed}), so its model would be retrained, normalised and measured on other data; restore the data, or train a new run on it`);
}

/** Train fields a compress run does not apply, and why. */
const NOT_APPLIED: Record<string, string> = {
  epochs: 'each compression stage retrains its own epochs (compress.prune.epochs, compress.share.epochs, ...)',
  dropout: "the parent's network keeps its own dropout layers",
  earlyStopping: 'compression retrains without early stopping',
  checkpoint: 'compression retrains without checkpoints',
};

/** The train fields a compress request writes (`written`) that its retraining would ignore, each a problem saying which apply. */
export function unappliedTrain(written: Record<string, unknown>): SpecProblem[] {
  return Object.keys(written).filter((k) => NOT_APPLIED[k]).map((k) => ({
    path: joinPath('train', k), found: showFound(written[k]),
    expected: `no train.${k} in hone compress: ${NOT_APPLIED[k]}; the retraining applies train's optimizer, lr, momentum, weightDecay, schedule, batchSize, l1, l2, regularizeBias and clipNorm`,
  }));
}

/**
 * The federated run whose model `rec` holds: `rec` itself, or the origin a compress run recorded when it
 * was created (queueCompress: this function's answer for its parent); undefined for a model trained
 * centrally. A compress run recorded by a Hone from before the origin was kept is followed up its chain
 * of compress runs (each the child of the one before), which ends at a run deleted since.
 */
export function federatedOrigin(storeDir: string, rec: RunRecord): FederatedOrigin | undefined {
  const seen = new Set<string>();
  for (let r: RunRecord | undefined = rec; r && !seen.has(r.id); r = r.parent ? readRunRecord(runDirOf(storeDir, r.parent)) : undefined) {
    if (kindOf(r) === 'federated') return { id: r.id, ...(typeof r.final?.epsilon === 'number' && { epsilon: r.final.epsilon }) };
    if (kindOf(r) !== 'compress') return undefined;
    if (r.federatedOrigin) return r.federatedOrigin;
    seen.add(r.id);
  }
  return undefined;
}

/**
 * The compression stages of `spec` that retrain (epochs > 0), refused for a model federated learning
 * trained (`origin`): retraining runs on the pooled training split, the data a federated run keeps on
 * its clients, which its privacy guarantee, if any, does not cover. Compression without retraining
 * (pruning, sharing and quantizing the weights as they are) reads no training data.
 */
export function centralRetraining(origin: FederatedOrigin, parentId: string, spec: Spec): SpecProblem[] {
  const c = spec.compress;
  if (!c) return [];
  const stages = [['prune', c.prune?.epochs], ['structured', c.structured?.epochs], ['share', c.share?.epochs], ['quantize', c.quantize?.epochs]] as const;
  const whose = origin.id === parentId ? `run ${parentId} is federated` : `run ${parentId}'s model comes from federated run ${origin.id}`;
  const eps = origin.epsilon;
  const privacy = eps !== undefined ? ` (its privacy guarantee, epsilon ${eps.toPrecision(4)}, covers the federated training only)` : '';
  return stages.filter(([, epochs]) => epochs !== undefined && epochs > 0).map(([stage, epochs]) => ({
    path: `compress.${stage}.epochs`, found: showFound(epochs),
    expected: `0: ${whose}, and a federated run's data stays on its clients: retraining would train its model centrally on the pooled training data${privacy}; compress it without retraining (--set compress.${stage}.epochs=0), or train a central run on this data to compress with retraining`,
  }));
}
