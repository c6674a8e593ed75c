import * as tf from '@tensorflow/tfjs';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { honeMetadata, rawInputModel, type Preprocessing } from './preprocess';

/**
 * Saves a model in the plain TF.js layers format (`model.json` + `weights.bin`), loadable with
 * `tf.loadLayersModel` in a browser or Node. Written by hand because the `file://` handler ships
 * only with tfjs-node, which Hone does not require.
 *
 * With `pre`, the saved model answers raw inputs: it is `rawInputModel(model, pre)`, the network
 * between layers that redo Hone's input normalisation and undo a standardised regression target,
 * and model.json's `userDefinedMetadata.hone` (`model.getUserDefinedMetadata()` once loaded) says
 * so (`honeMetadata`). `model` keeps its weights and predictions
 * (its layers are shared for the save, then the wrapper and the layers it added are disposed).
 */
export async function saveModel(model: tf.LayersModel, dir: string, pre?: Preprocessing): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const out = pre ? rawInputModel(model, pre) : model;
  const meta = pre && honeMetadata(pre);
  try {
    await out.save(
      tf.io.withSaveHandler(async (a) => {
        const data = a.weightData === undefined ? new ArrayBuffer(0) : tf.io.CompositeArrayBuffer.join(a.weightData);
        writeFileSync(join(dir, 'weights.bin'), Buffer.from(data));
        const json = {
          format: 'layers-model',
          generatedBy: `TensorFlow.js tfjs-layers v${tf.version.tfjs} (Hone)`,
          convertedBy: null,
          modelTopology: a.modelTopology,
          weightsManifest: [{ paths: ['weights.bin'], weights: a.weightSpecs }],
          ...(meta ? { userDefinedMetadata: meta } : {}),
        };
        writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
        return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(a) };
      }),
    );
  } finally {
    if (out !== model) out.dispose();
  }
}
