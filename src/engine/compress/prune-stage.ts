/**
 * The pruning stage: magnitude masks (magnitude.ts) on the schedule of the spec (schedule.ts), with
 * retraining under the masks (constraints.ts). Lottery-ticket rewinding (Frankle & Carbin 2019,
 * arXiv:1803.03635) resets the kept weights to the network's initial values, which the spec's seed
 * rebuilds exactly (in a `hone compress` run, the initial values of the parent's training).
 */
import * as tf from '@tensorflow/tfjs';
import type { PruneSpec } from '../../core/spec/compress-types';
import type { TrainResult } from '../train';
import { buildModel } from '../models';
import { magnitudeMasks } from './magnitude';
import { isPruningStep, iterativeSparsity, polynomialOver, polynomialSparsity } from './schedule';
import { kernelLayers, readKernel } from './layers';
import { maskConstraint } from './constraints';
import { stepsPerEpoch, using, type CompressState, type StageContext } from './state';

/**
 * Masks at sparsity `at(target)` for each layer's own target, growing the masks `s` holds: a weight they
 * pruned stays pruned even where the target is lower (a compressed parent sparser than the target).
 */
function masksAt(s: CompressState, p: PruneSpec, at: (target: number) => number): Map<string, Uint8Array> {
  const layers = kernelLayers(s.model);
  const own = layers.map((k) => p.layers[k.name]);
  const held = layers.map((k) => s.masks.get(k.name));
  const got = magnitudeMasks(layers.map(readKernel), { sparsity: at(p.sparsity), scope: p.scope, layers: own.map((t) => (t === undefined ? undefined : at(t))) }, held);
  got.forEach((m, i) => held[i]?.forEach((keep, j) => (m[j] &= keep)));
  return new Map(layers.map((k, i) => [k.name, got[i]]));
}

/** The weights the spec's seed initialises this network with, for rewinding; throws when the network is not the one the spec builds. */
function initialWeights(s: CompressState, ctx: StageContext): tf.Tensor[] {
  const fresh = buildModel(ctx.spec.model, ctx.data, ctx.seed, ctx.spec.train.dropout);
  const init = fresh.getWeights().map((w) => w.clone());
  fresh.dispose();
  const fits = init.length === s.model.weights.length && init.every((w, i) => tf.util.arraysEqual(w.shape, s.model.weights[i].shape as number[]));
  if (!fits) {
    tf.dispose(init);
    throw new Error('prune.schedule.rewind "init" needs the network the spec builds (this one differs: a structurally pruned parent?)');
  }
  return init;
}

async function polynomial(s: CompressState, p: PruneSpec, ctx: StageContext): Promise<TrainResult | undefined> {
  if (p.schedule.type !== 'polynomial') throw new Error('unreachable');
  const sched = polynomialOver(p.epochs * stepsPerEpoch(ctx), { ...p.schedule, sparsity: p.sparsity });
  // Each layer follows the same curve to its own target (from at most that target).
  const at = (t: number) => (target: number) => polynomialSparsity(t, { ...sched, initial: Math.min(sched.initial, target), final: target });
  const update = (t: number) => (isPruningStep(t, sched) ? masksAt(s, p, at(t)) : undefined);
  // Without retraining there is no schedule to follow: the final masks at once.
  (p.epochs === 0 ? masksAt(s, p, (target) => target) : update(0) ?? new Map()).forEach((m, name) => s.masks.set(name, m));
  const mc = maskConstraint(s.model, s.masks, update);
  ctx.log(`prune: polynomial schedule to ${p.sparsity} over ${p.epochs} epochs, from step ${sched.begin}, ${sched.updates} update(s) every ${sched.frequency} steps`);
  return using([mc], () => ctx.retrain(s.model, p.epochs, [mc], 'prune'));
}

/** One-shot or iterative pruning (cycles of prune, optionally rewind, retrain). */
async function cycles(s: CompressState, p: PruneSpec, ctx: StageContext): Promise<TrainResult | undefined> {
  const k = p.schedule.type === 'iterative' ? p.schedule.cycles : 1;
  const init = p.schedule.type === 'iterative' && p.schedule.rewind === 'init' ? initialWeights(s, ctx) : undefined;
  let last: TrainResult | undefined;
  try {
    for (let c = 1; c <= k; c++) {
      masksAt(s, p, (target) => iterativeSparsity(c, k, target)).forEach((m, name) => s.masks.set(name, m));
      if (init) s.model.setWeights(init);
      const mc = maskConstraint(s.model, s.masks);
      ctx.log(`prune: cycle ${c}/${k} to ${iterativeSparsity(c, k, p.sparsity).toFixed(4)}${init ? ', kept weights rewound to their initial values' : ''}`);
      last = await using([mc], () => ctx.retrain(s.model, p.epochs, [mc], k > 1 ? `prune ${c}/${k}` : 'prune'));
      if (last && last.status !== 'completed') return last;
    }
    return last;
  } finally {
    tf.dispose(init ?? []);
  }
}

/** Prunes `s.model` as `p` says; returns the last retraining's result (undefined without retraining). */
export function pruneStage(s: CompressState, p: PruneSpec, ctx: StageContext): Promise<TrainResult | undefined> {
  return p.schedule.type === 'polynomial' ? polynomial(s, p, ctx) : cycles(s, p, ctx);
}
