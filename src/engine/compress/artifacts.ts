/**
 * A network as the files Hone saves for it: `rawInputModel`'s layers (Hone's preprocessing around the
 * network, models/preprocess.ts) serialised to model.json's contents and float32 weights, with each
 * quantized kernel's grid attached, ready for tfjs-files.ts and the packed format. Also the reverse: a
 * saved model folder (any TF.js manifest, quantized or not) loaded back, and the network inside it.
 */
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { honeMetadata, rawInputModel, type Preprocessing } from '../models';
import { kernelLayers } from './layers';
import type { AffineHint, PackedModel } from './packed-format';

/** A saved model in memory, and which saved weight is each dense and conv kernel (by layer name). */
export type SavedForm = PackedModel & { kernels: Map<string, string> };

/** The model Hone would save for `network`, in memory; `grids` (by layer name) mark quantized kernels. */
export async function savedForm(network: tf.LayersModel, pre: Preprocessing, grids = new Map<string, AffineHint>()): Promise<SavedForm> {
  const out = rawInputModel(network, pre);
  const meta = honeMetadata(pre);
  try {
    let saved: tf.io.ModelArtifacts | undefined;
    await out.save(tf.io.withSaveHandler(async (a) => ((saved = a), { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(a) })));
    const a = saved!;
    const data = a.weightData === undefined ? new ArrayBuffer(0) : tf.io.CompositeArrayBuffer.join(a.weightData);
    // Saved weights follow `out.weights`, so a kernel's place there names its entry.
    const kernels = new Map(kernelLayers(network).map((k) => [k.name, out.weights.indexOf(k.weight)]));
    const hintAt = new Map([...kernels].filter(([name]) => grids.has(name)).map(([name, i]) => [i, grids.get(name)!]));
    let offset = 0;
    const weights = a.weightSpecs!.map((s, i) => {
      const n = s.shape.reduce((x, y) => x * y, 1);
      const w = { name: s.name, shape: s.shape, data: new Float32Array(data.slice(offset, offset + 4 * n)), ...(hintAt.has(i) ? { affine: hintAt.get(i) } : {}) };
      offset += 4 * n;
      return w;
    });
    return {
      model: { format: 'layers-model', generatedBy: `TensorFlow.js tfjs-layers v${tf.version.tfjs} (Hone)`, convertedBy: null, modelTopology: a.modelTopology, userDefinedMetadata: meta },
      weights,
      kernels: new Map([...kernels].map(([name, i]) => [name, a.weightSpecs![i].name])),
    };
  } finally {
    out.dispose();
  }
}

/** A model folder's model.json and weights.bin as TF.js artifacts (quantized weights are dequantized on load). */
export function folderArtifacts(dir: string): tf.io.ModelArtifacts {
  const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
  const bin = readFileSync(join(dir, 'weights.bin'));
  return {
    modelTopology: json.modelTopology,
    format: json.format,
    generatedBy: json.generatedBy,
    convertedBy: json.convertedBy,
    userDefinedMetadata: json.userDefinedMetadata,
    weightSpecs: json.weightsManifest.flatMap((g: { weights: tf.io.WeightsManifestEntry[] }) => g.weights),
    weightData: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.length),
  };
}

/**
 * The network inside a saved model: its layers without Hone's `hone_*` preprocessing, after an input of
 * the same shape (preprocessing keeps the shape), so it takes the inputs Hone trains on.
 */
export async function networkOf(artifacts: tf.io.ModelArtifacts): Promise<tf.Sequential> {
  const saved = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
  const net = tf.sequential();
  net.add(tf.layers.inputLayer({ inputShape: saved.inputs[0].shape.slice(1) as number[] }));
  for (const l of saved.layers) if (!l.name.startsWith('hone_') && l.getClassName() !== 'InputLayer') net.add(l);
  return net;
}
