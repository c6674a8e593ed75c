/**
 * One communication round, the orchestration around the pure pieces: sample clients, decide their fates,
 * send each its task, aggregate what comes back, move the global model. The global model's own
 * evaluation (val_, test_) is the coordinator's.
 */
import { createRng, derive } from '../../core/rng';
import { localTraining } from '../../core/dashboard/federated';
import type { RdpAccountant } from '../../core/federated/accountant';
import type { Partition } from '../../core/federated/partition';
import type { FederatedSpec } from '../../core/spec/federated-types';
import type { TrainSpec } from '../../core/spec/types';
import type { Dataset } from '../data/types';
import { takeRows } from '../data/split';
import { learningRateAt } from '../train/schedule';
import { coordinateMedian, krum, trimmedMean, weightedMean, type ClientUpdate } from './aggregate';
import { decode, payloadBytes } from './compression';
import { dpMean } from './dp';
import type { LocalConfig } from './local-train';
import type { ClientResult, ClientTask } from './protocol';
import type { ClientRunner } from './runner';
import { roundFates, sampleClients, type Fate } from './sampling';
import { serverStep, type ServerOptConfig, type ServerOptState, type ServerRule } from './server-opt';

/** What stays fixed over a federation's rounds. */
export interface Federation {
  f: FederatedSpec;
  train: TrainSpec;
  seed: number;
  data: Dataset;
  clients: Partition;
  byzantine: ReadonlySet<number>;
  /** Tensor sizes of the model, in flat order. */
  sizes: number[];
  runner: ClientRunner;
}

/** What a round changes: the global model, the server optimiser, clients' error-feedback memories, totals. */
export interface FederationState {
  weights: Float32Array;
  server: ServerOptState;
  residuals: Map<number, Float32Array>;
  accountant?: RdpAccountant;
  uploadTotal: number;
  downloadTotal: number;
}

export interface RoundOutcome {
  /** Per-round metrics from the clients and the network; the global model's are added by the caller. */
  metrics: Record<string, number>;
  sampled: number;
  reported: number;
  /**
   * Clients not started because a stop was requested. When any were, the round was cut short: it is
   * thrown away (the state is as it was before it, and `metrics` is empty).
   */
  skipped: number;
  /** Clients not done by the round's deadline (`federated.deadline`): counted as dropped. */
  late: number;
  /** Why the global model did not move this round, if it did not. */
  unchanged?: string;
}

const RULES: Record<FederatedSpec['algorithm'], ServerRule> = {
  fedsgd: 'sgd', fedavg: 'sgd', fedprox: 'sgd', fedavgm: 'avgm', fedadam: 'adam', fedyogi: 'yogi', fedadagrad: 'adagrad',
};

export const serverConfig = (f: FederatedSpec): ServerOptConfig => ({
  rule: RULES[f.algorithm], lr: f.serverLr, momentum: f.serverMomentum, beta1: f.beta1, beta2: f.beta2, tau: f.tau,
});

export function freshState(weights: Float32Array, f: FederatedSpec, accountant?: RdpAccountant): FederationState {
  return { weights, server: {}, residuals: new Map(), ...(f.privacy && accountant ? { accountant } : {}), uploadTotal: 0, downloadTotal: 0 };
}

/**
 * How client `k`, holding `n` samples, trains in `round`: fedsgd is one full-batch SGD step; a straggler
 * does a share of its steps. `train.schedule` counts rounds: round r's clients all train at the rate the
 * schedule gives epoch r of `f.rounds`. A queue agent derives it the same way from the spec (remote-job.ts).
 */
export function localConfig(f: FederatedSpec, t: TrainSpec, seed: number, round: number, k: number, n: number, fate: Fate): LocalConfig {
  const sgd = f.algorithm === 'fedsgd';
  const { epochs, batch } = localTraining(f);
  const steps = epochs * Math.ceil(n / (batch === 0 ? n : Math.min(batch, n)));
  return {
    optimizer: sgd ? 'sgd' : t.optimizer, lr: clientLr(f, t, round), momentum: t.momentum, weightDecay: t.weightDecay, l1: t.l1, l2: t.l2,
    regularizeBias: t.regularizeBias, clipNorm: t.clipNorm, epochs, batch, mu: f.algorithm === 'fedprox' ? f.mu : 0,
    ...(fate.kind === 'partial' ? { maxSteps: Math.max(1, Math.floor(fate.share * steps)) } : {}),
    seed: derive(seed, 'client', round, k),
  };
}

/** The clients' learning rate in `round` (from 1): the schedule with one step per round. */
export const clientLr = (f: FederatedSpec, t: TrainSpec, round: number): number =>
  learningRateAt(t.lr, t.schedule, { step: round - 1, stepsPerEpoch: 1, totalSteps: f.rounds });

/** The aggregate of this round's updates under the spec's rule, or why there is none. */
function aggregate(fed: Federation, updates: ClientUpdate[], d: number, round: number): Float32Array | string {
  const { f } = fed;
  if (f.privacy) {
    // The updates expected to arrive: sampled clients less the share that drops out. A fixed denominator keeps
    // the sensitivity fixed (McMahan et al. 2018), and dividing by a constant is post-processing: epsilon is unchanged.
    const expected = f.fraction * f.clients * (1 - f.dropout);
    return dpMean(updates.map((u) => u.update), d, { ...f.privacy, expected }, createRng(derive(fed.seed, 'dp-noise', round)));
  }
  if (!updates.length) return 'no client reported';
  const a = f.aggregation;
  switch (a.rule) {
    case 'mean': return weightedMean(updates);
    case 'median': return coordinateMedian(updates);
    case 'trimmedMean': return trimmedMean(updates, a.trim);
    case 'krum':
    case 'multiKrum': {
      const n = updates.length;
      if (n <= 2 * a.byzantine + 2) return `${a.rule} needs more than ${2 * a.byzantine + 2} updates, and ${n} came`;
      const m = a.rule === 'krum' ? 1 : a.select > 0 ? Math.min(a.select, n) : n - a.byzantine;
      return krum(updates, a.byzantine, m);
    }
  }
}

const LATE = Symbol('late');

/** A promise that resolves to LATE after `ms`, and the means to cancel it once the round is over. */
function roundDeadline(ms: number): { passed: Promise<typeof LATE>; clear(): void } {
  let timer: NodeJS.Timeout | undefined;
  const passed = new Promise<typeof LATE>((resolve) => (timer = setTimeout(() => resolve(LATE), ms)));
  return { passed, clear: () => clearTimeout(timer) };
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const std = (xs: number[]) => Math.sqrt(mean(xs.map((x) => (x - mean(xs)) ** 2)));

/**
 * Round `round` (from 1): its clients train from `state.weights` on `fed.runner`, in parallel as far as
 * the runner allows; then the server aggregates and steps. Updates are taken in client order, whatever
 * order they arrive in, so a seed gives the same round. Once `stopping()` is true, clients not yet
 * started are skipped and the round is discarded once those already training finish: a mean of the few
 * that reported would move the global model by a sample the round was not planned on (on non-IID data,
 * one client's labels), so `state` is left as the last complete round made it. With a
 * deadline, clients not done `f.deadline` seconds after the round sent their work are late: dropped
 * from this round (the runner is asked to cancel what it has not started) and their results ignored.
 */
export async function runRound(fed: Federation, state: FederationState, round: number, stopping: () => boolean): Promise<RoundOutcome> {
  const { f, data } = fed;
  const sampled = sampleClients(f.clients, f.fraction, round, fed.seed, Boolean(f.privacy));
  const fates = roundFates(sampled.length, f.dropout, f.stragglers, round, fed.seed);
  const rowSize = data.inputShape.reduce((a, b) => a * b, 1);
  const tasks: ClientTask[] = [];
  sampled.forEach((k, i) => {
    if (fates[i].kind === 'dropped') return;
    const part = takeRows(data.train, fed.clients[k], rowSize);
    const residual = f.compression?.errorFeedback ? state.residuals.get(k) : undefined;
    tasks.push({
      round, client: k, weights: state.weights, x: part.x, y: part.y, n: part.n, local: localConfig(f, fed.train, fed.seed, round, k, part.n, fates[i]),
      ...(fed.byzantine.has(k) && f.attack ? { attack: f.attack } : {}),
      ...(f.compression ? { compression: f.compression } : {}),
      ...(residual ? { residual } : {}),
    });
  });
  let skipped = 0;
  const deadline = f.deadline > 0 ? roundDeadline(f.deadline * 1000) : undefined;
  const outcomes = await Promise.all(tasks.map((t) => {
    const result = fed.runner.run(t, stopping);
    if (!deadline) return result;
    // A late client's failure does not fail the round it missed.
    result.catch(() => undefined);
    return Promise.race([result, deadline.passed]);
  })).finally(() => deadline?.clear());
  const lateTasks: ClientTask[] = [];
  const results = outcomes.filter((r, i): r is ClientResult => {
    if (r === LATE) lateTasks.push(tasks[i]);
    else if (!r) skipped++;
    return r !== undefined && r !== LATE;
  });
  const late = lateTasks.length;
  // A late client that never started never downloaded the model.
  const unsent = (await Promise.all(lateTasks.map((t) => fed.runner.cancel?.(t) ?? false))).filter(Boolean).length;
  if (skipped) return { metrics: {}, sampled: sampled.length, reported: results.length, skipped, late };
  const d = state.weights.length;
  let upload = 0;
  const updates = results.map((r) => {
    if (r.residual) state.residuals.set(r.client, r.residual);
    upload += payloadBytes(r.payload);
    return { update: decode(r.payload, fed.sizes), weight: r.n };
  });
  // Every client that started downloaded the model, dropouts included: they fail after the download.
  const download = (sampled.length - skipped - unsent) * d * 4;
  const agg = aggregate(fed, updates, d, round);
  if (typeof agg !== 'string') serverStep(state.weights, agg, serverConfig(f), state.server);
  if (f.privacy) state.accountant?.step(f.fraction, f.privacy.noise);
  state.uploadTotal += upload;
  state.downloadTotal += download;

  const n = results.reduce((s, r) => s + r.n, 0);
  const weighted = (key: 'loss' | 'accuracy') => results.reduce((s, r) => s + r[key] * r.n, 0) / n;
  const seen = results.map((r) => r.globalAccuracy).filter(Number.isFinite);
  const metrics: Record<string, number> = {
    ...(results.length ? { loss: weighted('loss') } : {}),
    ...(results.length && data.task === 'classification' ? { accuracy: weighted('accuracy') } : {}),
    ...(seen.length ? { client_accuracy_mean: mean(seen), client_accuracy_min: Math.min(...seen), client_accuracy_std: std(seen) } : {}),
    clients: results.length,
    ...(deadline ? { late_clients: late } : {}),
    ...(fed.byzantine.size ? { byzantine_clients: results.filter((r) => fed.byzantine.has(r.client)).length } : {}),
    upload_bytes: upload,
    download_bytes: download,
    upload_bytes_total: state.uploadTotal,
    download_bytes_total: state.downloadTotal,
    ...(f.privacy && state.accountant ? { epsilon: state.accountant.epsilon(f.privacy.delta) } : {}),
  };
  return { metrics, sampled: sampled.length, reported: results.length, skipped, late, ...(typeof agg === 'string' ? { unchanged: agg } : {}) };
}
