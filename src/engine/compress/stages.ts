/**
 * The stages after pruning: structured pruning (structured.ts + surgery.ts), weight sharing (kmeans.ts,
 * centroids fine-tuned through tied gradients), and quantization (affine.ts, post-training or with
 * fake-quant training). Each keeps what the earlier stages left: masks, shared clusters.
 */
import * as tf from '@tensorflow/tfjs';
import type { QuantizeSpec, ShareSpec, StructuredSpec } from '../../core/spec/compress-types';
import { derive } from '../../core/rng';
import type { TrainResult } from '../train';
import type { AffineConfig } from './affine';
import { kmeans1d } from './kmeans';
import { removedUnits, unitsToKeep } from './structured';
import { shrinkNetwork } from './surgery';
import { kernelLayers, readKernel, writeKernel, type KernelLayer } from './layers';
import { maskConstraint, shareConstraint, type Constraint } from './constraints';
import { fakeQuantConstraint, quantizeKernels } from './fake-quant';
import { toFloat16Values } from './float16';
import { using, type CompressState, type StageContext } from './state';

/** The constraints every later stage keeps: masks, and shared clusters once there are some. */
const kept = (s: CompressState): Constraint[] => [maskConstraint(s.model, s.masks), ...(s.shared.size ? [shareConstraint(s.model, s.shared)] : [])];

/** Removes units and filters of every hidden dense and conv layer, then retrains the smaller network. */
export async function structuredStage(s: CompressState, st: StructuredSpec, ctx: StageContext): Promise<TrainResult | undefined> {
  const keep = new Map<string, Int32Array>();
  const hidden = kernelLayers(s.model).slice(0, -1);
  for (const k of hidden) {
    const fraction = st.layers[k.name] ?? st.fraction;
    if (removedUnits(fraction, k.shape[k.shape.length - 1]) > 0) keep.set(k.name, unitsToKeep(readKernel(k), k.shape, { fraction, norm: st.norm }));
  }
  const shrunk = await shrinkNetwork(s.model, keep);
  const shapes = new Map(hidden.map((k) => [k.name, k.shape]));
  for (const k of kernelLayers(s.model)) {
    const m = s.masks.get(k.name);
    if (m) s.masks.set(k.name, Uint8Array.from(shrunk.sliceKernel(k.name, Float32Array.from(m), k.shape)));
  }
  s.model = shrunk.model;
  ctx.log(`structured: ${[...keep].map(([name, units]) => `${name} ${shapes.get(name)!.at(-1)} -> ${units.length}`).join(', ') || 'nothing removed'} (${st.norm} norm)`);
  const cs = kept(s);
  return using(cs, () => ctx.retrain(s.model, st.epochs, cs, 'structured'));
}

/** Clusters each kernel's live weights by k-means and retrains the shared centroids. */
export async function shareStage(s: CompressState, sh: ShareSpec, ctx: StageContext): Promise<TrainResult | undefined> {
  for (const k of kernelLayers(s.model)) {
    const w = readKernel(k);
    const live = s.masks.get(k.name) ?? new Uint8Array(w.length).fill(1);
    const values = w.filter((_, i) => live[i] === 1);
    if (values.length === 0) continue;
    const clusters = sh.layers[k.name] ?? sh.clusters;
    const { centroids, assign } = kmeans1d(values, { clusters, init: sh.init, iterations: 50, seed: derive(ctx.seed, 'share', k.name) });
    const full = new Int32Array(w.length);
    let j = 0;
    for (let i = 0; i < w.length; i++) if (live[i]) (full[i] = assign[j++]), (w[i] = centroids[full[i]]);
    writeKernel(k, w);
    s.shared.set(k.name, { assign: full, clusters: centroids.length, live });
  }
  ctx.log(`share: ${[...s.shared].map(([name, x]) => `${name} ${x.clusters} clusters`).join(', ')} (${sh.init} init)`);
  const cs = kept(s);
  return using(cs, () => ctx.retrain(s.model, sh.epochs, cs, 'share'));
}

/**
 * Quantizes kernels: float16, or affine integers after optional quantization-aware training. float16
 * kernels are rounded last, after the training that moves them with the rest.
 */
export async function quantizeStage(s: CompressState, q: QuantizeSpec, ctx: StageContext): Promise<TrainResult | undefined> {
  const targets = new Map<string, AffineConfig>();
  const half: KernelLayer[] = [];
  for (const k of kernelLayers(s.model)) {
    const bits = q.layers[k.name] ?? q.bits;
    if (bits === 16) half.push(k);
    else targets.set(k.name, { bits, granularity: q.granularity });
  }
  let result: TrainResult | undefined;
  if (q.epochs > 0 && targets.size) {
    const fq = fakeQuantConstraint(s.model, targets);
    const cs = [...kept(s), fq];
    result = await using(cs, async () => {
      const r = await ctx.retrain(s.model, q.epochs, cs, 'quantize');
      if (r?.status === 'completed') fq.finish().forEach((g, name) => s.grids.set(name, g));
      return r;
    });
  } else quantizeKernels(s.model, targets).forEach((g, name) => s.grids.set(name, g));
  half.forEach((k) => writeKernel(k, toFloat16Values(readKernel(k))));
  ctx.log(`quantize: ${[...[...targets].map(([name, t]) => `${name} ${t.bits} bits`), ...half.map((k) => `${k.name} float16`)].join(', ')} (${q.granularity})`);
  return result;
}

/** Rounds every weight that is not a dense or conv kernel (biases, batch-norm parameters) to float16. */
export function halfTheRest(model: tf.LayersModel): void {
  const kernels = new Set(kernelLayers(model).map((k) => k.weight));
  for (const w of model.weights) {
    if (kernels.has(w)) continue;
    const v = w.read() as tf.Variable;
    tf.tidy(() => v.assign(tf.tensor(toFloat16Values(v.dataSync() as Float32Array), v.shape)));
  }
}
