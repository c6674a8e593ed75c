/**
 * Semantic checks on `federated`: a federation that cannot be dealt or aggregated is bad input, found
 * before anything starts. Problems are reported at paths the spec has (or one key below one), so that
 * an editor can point at them.
 */
import type { Check } from './checks';
import type { Spec, SpecProblem } from './types';
import type { FederatedSpec } from './federated-types';
import { showFound } from './describe';
import { formatPath, type PathKey } from './paths';
import { taskOf } from './shape';
import { dataShape, fitRows } from './checks-model';
import { wroteTrain } from './checks-train';
import { modelCost } from './model-cost';
import { hiddenLayers } from './layers';
import { LIMITS } from './limits';
import { loadDataset } from '../../engine/data';
import { partition } from '../federated/partition';

const ADAPTIVE = ['fedadam', 'fedyogi', 'fedadagrad'];

/** `keys` cut after the first key the user did not write: the deepest path the raw spec has, plus one. */
function at(raw: unknown, keys: PathKey[]): string {
  let node = raw;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    const next = node !== null && typeof node === 'object' ? (node as Record<PathKey, unknown>)[k] : undefined;
    if (next === undefined) return formatPath(keys.slice(0, i + 1));
    node = next;
  }
  return formatPath(keys);
}

/** Whether the user wrote `federated.<key>`. */
const wrote = (raw: unknown, key: string): boolean => {
  const f = (raw as { federated?: Record<string, unknown> } | null)?.federated;
  return typeof f === 'object' && f !== null && f[key] !== undefined;
};

/** Training samples the clients share, known before loading (a CSV's from its scan); undefined when unknown. */
export const trainSamples = (spec: Spec, baseDir: string): number | undefined => fitRows(spec.data, baseDir)?.train;

/** Updates that reach the server each round under fixed-size sampling: sampled minus dropouts. */
export function updatesPerRound(f: FederatedSpec): number {
  const m = Math.max(1, Math.round(f.fraction * f.clients));
  return m - Math.round(f.dropout * m);
}

/** Runs `run` only on specs with a federated section. */
const federated = (reads: string[], run: (f: FederatedSpec, spec: Spec, raw: unknown, baseDir: string) => SpecProblem[]): Check => ({
  reads: ['federated', ...reads],
  run: ({ spec, raw, baseDir }) => (spec.federated ? run(spec.federated, spec, raw, baseDir) : []),
});

const dealable = federated(['data', 'data.split'], (f, spec, raw, baseDir) => {
  const n = trainSamples(spec, baseDir);
  if (n === undefined) return [];
  if (f.clients > n) return [{ path: at(raw, ['federated', 'clients']), expected: `at most ${n} clients: each needs a training sample, and the training split has ${n}`, found: showFound(f.clients) }];
  const p = f.partition;
  if (p.type === 'shards' && n % (f.clients * p.shardsPerClient) !== 0) {
    return [{
      path: at(raw, ['federated', 'partition', 'shardsPerClient']),
      expected: `clients × shardsPerClient dividing the ${n} training samples into equal shards`,
      found: `${f.clients} × ${p.shardsPerClient} = ${f.clients * p.shardsPerClient}`,
    }];
  }
  return [];
});

const labelsNeeded = federated(['data.source', 'data.task'], (f, spec, raw) => {
  if (taskOf(spec.data) !== 'regression') return [];
  const out: SpecProblem[] = [];
  if (f.partition.type !== 'iid') {
    out.push({ path: at(raw, ['federated', 'partition', 'type']), expected: `'iid': a ${f.partition.type} partition deals by label, and a regression task has none`, found: showFound(f.partition.type) });
  }
  if (f.attack?.type === 'labelFlip') {
    out.push({ path: at(raw, ['federated', 'attack', 'type']), expected: 'signFlip or scale: a regression task has no labels to flip', found: "'labelFlip'" });
  }
  return out;
});

const aggregable = federated([], (f, _spec, raw) => {
  const n = updatesPerRound(f);
  const out: SpecProblem[] = [];
  if (n < 1) out.push({ path: at(raw, ['federated', 'dropout']), expected: 'a dropout that leaves at least one client per round', found: `${showFound(f.dropout)}, leaving ${n}` });
  const a = f.aggregation;
  if ((a.rule === 'krum' || a.rule === 'multiKrum') && !f.privacy && n <= 2 * a.byzantine + 2) {
    out.push({
      path: at(raw, ['federated', 'aggregation', 'byzantine']),
      expected: `more than 2f + 2 = ${2 * a.byzantine + 2} updates per round for ${a.rule} to tolerate f = ${a.byzantine} (lower byzantine, or raise clients × fraction)`,
      found: `${n} update${n === 1 ? '' : 's'} per round`,
    });
  }
  // floor(trim x n) values go from each end: a trim that drops none is a plain mean under another name.
  if (a.rule === 'trimmedMean' && a.trim > 0 && Math.floor(a.trim * n) < 1) {
    out.push({
      path: at(raw, ['federated', 'aggregation', 'trim']),
      expected: `a trim of at least 1/${n} = ${(1 / n).toPrecision(3)}, so that floor(trim × ${n} updates per round) drops at least one from each end`,
      found: showFound(a.trim),
    });
  }
  if (a.rule === 'multiKrum' && a.select > n) {
    out.push({ path: at(raw, ['federated', 'aggregation', 'select']), expected: `at most the ${n} updates per round`, found: showFound(a.select) });
  }
  if (f.privacy && a.rule !== 'mean') {
    out.push({ path: at(raw, ['federated', 'aggregation', 'rule']), expected: "'mean' with privacy: DP-FedAvg's guarantee is for the noised sum of clipped updates", found: showFound(a.rule) });
  }
  if (f.attack && Math.round(f.attack.fraction * f.clients) < 1) {
    out.push({ path: at(raw, ['federated', 'attack', 'fraction']), expected: `a fraction that makes at least one of the ${f.clients} clients Byzantine`, found: showFound(f.attack.fraction) });
  }
  return out;
});

/**
 * Batch-norm layers carry moving statistics among the model's weights, and they travel in each client's
 * update. Averaged plainly (FedAvg, FedProx, FedAvgM, the robust rules) they stay statistics; but DP noise
 * and the adaptive servers' per-coordinate steps of about serverLr would move a moving variance by amounts
 * unrelated to its scale, below zero too (NaN at inference), and the statistics would spend the clip norm.
 */
const statsAggregate = federated(['model'], (f, spec, raw) => {
  if (!hiddenLayers(spec.model, 0).some((l) => l.type === 'batchNorm')) return [];
  const why = "the model's batch-norm layers: their moving means and variances are part of each update, and";
  if (f.privacy) {
    return [{ path: at(raw, ['federated', 'privacy']), expected: `no privacy with ${why} DP noise on them could turn a variance negative (use a model without batch norm)`, found: 'a privacy section' }];
  }
  if (ADAPTIVE.includes(f.algorithm)) {
    return [{ path: at(raw, ['federated', 'algorithm']), expected: `fedavg, fedprox or fedavgm with ${why} ${f.algorithm} would step them by about serverLr whatever their scale`, found: showFound(f.algorithm) }];
  }
  return [];
});

/** Options of one algorithm written for another, as checks-train does for optimiser options. */
const optionsApply = federated([], (f, _spec, raw) => {
  const uses: Record<string, boolean> = {
    mu: f.algorithm === 'fedprox',
    serverMomentum: f.algorithm === 'fedavgm',
    beta1: ADAPTIVE.includes(f.algorithm),
    tau: ADAPTIVE.includes(f.algorithm),
    beta2: f.algorithm === 'fedadam' || f.algorithm === 'fedyogi',
    localEpochs: f.algorithm !== 'fedsgd',
    batchSize: f.algorithm !== 'fedsgd',
  };
  return Object.entries(uses)
    .filter(([key, used]) => !used && wrote(raw, key))
    .map(([key]) => ({
      path: `federated.${key}`,
      expected: f.algorithm === 'fedsgd' && (key === 'localEpochs' || key === 'batchSize')
        ? 'nothing: fedsgd takes one full-batch gradient per client and round (use fedavg for local epochs)'
        : `no ${key} with algorithm ${f.algorithm}`,
      found: showFound((f as unknown as Record<string, unknown>)[key]),
    }));
});

/**
 * What `train` cannot do per client: no epochs of its own to stop early or checkpoint; and its epochs
 * and batch size, when written, would be ignored (the federation's own fields set them). Its schedule
 * counts rounds (round.ts's clientLr).
 */
const trainApplies = federated(['train.earlyStopping', 'train.checkpoint', 'train.epochs', 'train.batchSize'], (_f, spec, raw) => {
  const t = spec.train;
  const out: SpecProblem[] = [];
  const why = 'a federated run counts rounds, not epochs';
  if (wroteTrain(raw, 'epochs')) {
    out.push({ path: 'train.epochs', expected: `no train.epochs: ${why} (federated.rounds), and each client trains federated.localEpochs epochs per round`, found: showFound(t.epochs) });
  }
  if (wroteTrain(raw, 'batchSize')) {
    out.push({ path: 'train.batchSize', expected: 'no train.batchSize: clients train at federated.batchSize', found: showFound(t.batchSize) });
  }
  if (t.earlyStopping) out.push({ path: 'train.earlyStopping', expected: `no early stopping: ${why}`, found: showFound(t.earlyStopping) });
  if (t.checkpoint) out.push({ path: 'train.checkpoint', expected: `no checkpoints: ${why} (a stopped or killed federation keeps its completed rounds)`, found: showFound(t.checkpoint) });
  return out;
});

/** A client's local batch must fit like a central one (checks-model's modelFits, at the local batch size). */
export const localBatchFits = federated(['data', 'model'], (f, spec, raw, baseDir) => {
  const d = dataShape(spec.data, baseDir);
  const n = trainSamples(spec, baseDir);
  const cost = d && n && modelCost(spec.model, d.input, d.outputs);
  if (!d || !n || !cost) return [];
  const even = f.partition.type === 'shards' || (f.partition.type === 'iid' && f.partition.sizeSigma === 0);
  const rows = f.batchSize > 0 && f.algorithm !== 'fedsgd' ? Math.min(f.batchSize, n) : even ? Math.ceil(n / f.clients) : 0;
  if (cost.activations * rows <= LIMITS.batchActivations) return [];
  return [{
    path: at(raw, ['federated', 'batchSize']),
    expected: `at most ${LIMITS.batchActivations} activations per local batch (1 GiB as float32)`,
    found: `${cost.activations} per sample × ${rows} rows`,
  }];
});

/** Values of generated data the check below may make while validating (tens of milliseconds). */
const CHEAP_VALUES = 1_000_000;

/**
 * A Dirichlet alpha that leaves a client without samples, found by dealing the clients as the run will
 * (partition() is pure and seeded), where the labels are cheap to have: the bundled digits and small
 * generated data. Other sources are dealt when the run starts, before any client worker.
 */
const dirichletFillsClients = federated(['data', 'seed'], (f, spec, raw, baseDir) => {
  const d = spec.data;
  const cheap = d.source === 'digits' || (d.source === 'classification' && d.samples * d.features <= CHEAP_VALUES);
  if (f.partition.type !== 'dirichlet' || !cheap) return [];
  const n = emptiedClient(spec, f, baseDir);
  return n === undefined ? [] : [{
    path: at(raw, ['federated', 'partition', 'alpha']),
    expected: `an alpha that gives each of the ${f.clients} clients at least one of the ${n} training samples (raise alpha or use fewer clients)`,
    found: `${showFound(f.partition.alpha)}, with which every draw of the clients' shares left some client empty`,
  }];
});

// Validation runs on every debounced keystroke in the editor and every sweep probe, so the deals of the
// last few federations are kept, keyed by all they depend on (digits and generated data read no user file).
const dealt = new Map<string, number | undefined>();
const DEALT = 8;

/** The training samples of `spec.data` when dealing them to `f`'s clients leaves one empty; else undefined. */
function emptiedClient(spec: Spec, f: FederatedSpec, baseDir: string): number | undefined {
  const key = JSON.stringify([spec.data, spec.seed, f.clients, f.partition]);
  if (dealt.has(key)) return dealt.get(key);
  const n = deal(spec, f, baseDir);
  dealt.set(key, n);
  if (dealt.size > DEALT) dealt.delete(dealt.keys().next().value!);
  return n;
}

function deal(spec: Spec, f: FederatedSpec, baseDir: string): number | undefined {
  let data;
  try {
    data = loadDataset({ ...spec.data, normalize: 'none' }, spec.seed, baseDir);
  } catch {
    return undefined; // data it cannot read is the run's to report, with its reason
  }
  if (f.clients > data.train.n) return undefined;
  try {
    partition(data.train.n, f.clients, f.partition, spec.seed, data.train.y, data.classes);
    return undefined;
  } catch {
    return data.train.n;
  }
}

/**
 * Sections the coordinator never runs: a federated run trains and saves its global model, and the
 * commands that attack or compress a saved model do the rest, as a child run of it.
 */
const stagesApply = federated(['robustness', 'compress'], (_f, spec) => {
  const after = (section: 'robustness' | 'compress', what: string, command: string): SpecProblem[] => (spec[section] ? [{
    path: section,
    expected: `no ${section} section: a federated run does not ${what} during training: run \`${command} <run>\` on it`,
    found: showFound(spec[section]),
  }] : []);
  return [...after('robustness', 'evaluate robustness', 'hone attack'), ...after('compress', 'compress its model', 'hone compress')];
});

export const FEDERATED_CHECKS: readonly Check[] = [dealable, labelsNeeded, aggregable, statsAggregate, optionsApply, trainApplies, localBatchFits, stagesApply, dirichletFillsClients];
