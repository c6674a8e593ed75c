/**
 * Builds the physically smaller network structured pruning asks for: each pruned dense or conv layer
 * keeps only its `keep` units (filters), and what reads them follows: batch normalisation keeps the same
 * channels, a later conv the same input channels, a later dense layer the same inputs (after Flatten, every
 * spatial position of the kept channels, for a batch normalisation there too). The result is an ordinary TF.js model of the same layer types.
 */
import * as tf from '@tensorflow/tfjs';
import { flattenedKeep, sliceAxis } from './structured';
import { kernelLayers } from './layers';

export interface Shrunk {
  model: tf.LayersModel;
  /** A kernel-shaped array of the old model (by layer name) cut the way that layer's kernel was. */
  sliceKernel(name: string, data: Float32Array, shape: number[]): Float32Array;
}

interface Cut {
  /** Kept input indices (kernel axis -2 for dense, 2 for conv), kept units (last axis). */
  inputs?: Int32Array;
  units?: Int32Array;
}

/** Applies `cut` to a weight of a dense or conv layer: the kernel on both axes, the bias on its units. */
function cutWeight(data: Float32Array, shape: number[], cut: Cut): Float32Array {
  let w = { data, shape };
  if (cut.units) w = sliceAxis(w.data, w.shape, w.shape.length - 1, cut.units);
  if (cut.inputs && shape.length > 1) w = sliceAxis(w.data, w.shape, w.shape.length - 2, cut.inputs);
  return w.data;
}

/** `model` with the units of `keep` (by layer name, e.g. dense1) only; `model` itself is left as it was. */
export async function shrinkNetwork(model: tf.LayersModel, keep: Map<string, Int32Array>): Promise<Shrunk> {
  const names = new Map(kernelLayers(model).map((k) => [k.layer, k.name]));
  const topology = model.toJSON(undefined, false) as { config: { layers: { class_name: string; config: Record<string, unknown> }[] } };
  const configs = topology.config.layers;
  const cuts = new Map<tf.layers.Layer, Cut>();
  const byName = new Map<string, Cut>();
  // Walk the layers carrying the channels the activations still have (undefined: all of them) and how many
  // there were. After Flatten the next dense layer's kernel rows tell the spatial size (a layer shared with
  // another model, as a parent's are, has no single input shape to ask).
  let channels: Int32Array | undefined;
  let full = 0;
  let flattened = false;
  model.layers.forEach((layer, i) => {
    const kind = layer.getClassName();
    const name = names.get(layer);
    if (name) {
      const shape = layer.weights[0].shape as number[];
      if (flattened && channels) channels = flattenedKeep(shape[0] / full, full, channels);
      const cut: Cut = { inputs: channels, units: keep.get(name) };
      cuts.set(layer, cut);
      byName.set(name, cut);
      if (cut.units) configs[i].config[kind === 'Dense' ? 'units' : 'filters'] = cut.units.length;
      [channels, full, flattened] = [cut.units, shape[shape.length - 1], false];
    } else if (kind === 'BatchNormalization') {
      if (!channels) return;
      // After Flatten it normalises every spatial position of every channel: its size tells the spatial size.
      const size = layer.weights[0].shape[0] as number;
      if (flattened) [channels, full, flattened] = [flattenedKeep(size / full, full, channels), size, false];
      cuts.set(layer, { units: channels });
    } else if (kind === 'Flatten') flattened = true;
  });
  const shrunk = await tf.models.modelFromJSON({ modelTopology: topology } as unknown as Parameters<typeof tf.models.modelFromJSON>[0]);
  shrunk.layers.forEach((layer, i) => {
    const old = model.layers[i];
    const cut = cuts.get(old);
    // getWeights() gives the live variables: read them, never dispose them.
    const next = old.getWeights().map((v, j) => {
      const data = v.dataSync() as Float32Array;
      return tf.tensor(cut ? cutWeight(data, v.shape, cut) : data, layer.weights[j].shape as number[]);
    });
    if (next.length) layer.setWeights(next);
    tf.dispose(next);
  });
  return {
    model: shrunk,
    sliceKernel: (name, data, shape) => (byName.has(name) ? cutWeight(data, shape, byName.get(name)!) : data),
  };
}
