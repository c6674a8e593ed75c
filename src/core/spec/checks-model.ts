/**
 * Semantic checks on how `model` fits `data`: conv and pool layers need image samples, and the
 * feature map must keep at least one pixel through every block.
 */
import type { Check } from './checks';
import type { DataSpec, LayerSpec, Spec, SpecProblem } from './types';
import { showFound } from './describe';
import { inputShapeOf, isImageData } from './shape';
import { axisOut, modelCost } from './model-cost';
import { csvFacts } from './checks-csv';
import { LIMITS } from './limits';
import { splitCounts } from '../../engine/data/split';

const SPATIAL = new Set<LayerSpec['type']>(['conv2d', 'maxPool2d', 'avgPool2d']);

const NEEDS_IMAGES = 'image data (data.source digits or mnist)';

const modelNeedsImages: Check = {
  reads: ['data.source', 'model'],
  run: ({ spec: { data, model } }) => {
    if (isImageData(data)) return [];
    const found = `data.source ${showFound(data.source)}`;
    if (model.type === 'cnn') return [{ path: 'model.type', expected: `${NEEDS_IMAGES} for a cnn`, found }];
    if (model.type !== 'layers') return [];
    const i = model.layers.findIndex((l) => SPATIAL.has(l.type));
    return i < 0 ? [] : [{ path: `model.layers[${i}]`, expected: `${NEEDS_IMAGES} for a ${model.layers[i].type} layer`, found }];
  },
};

type Size = [number, number];

const show = (s: Size) => `${s[0]}x${s[1]}`;

/**
 * CNN blocks: conv with 'same' padding keeps the size, then max pooling with window and stride
 * `pool` and 'valid' padding floors it (the builder must pool the same way).
 */
function cnnProblem(spec: Spec): SpecProblem[] {
  const { data, model } = spec;
  if (model.type !== 'cnn' || !isImageData(data)) return [];
  const [h, w] = inputShapeOf(data) as number[];
  const sizes: Size[] = [[h, w]];
  for (let b = 0; b < model.filters.length; b++) {
    const [sh, sw] = sizes[sizes.length - 1];
    sizes.push([Math.floor(sh / model.pool), Math.floor(sw / model.pool)]);
    if (Math.min(...sizes[sizes.length - 1]) < 1) {
      return [{
        path: 'model.filters',
        expected: `at most ${b} conv block(s) for ${show(sizes[0])} images with pool ${model.pool}`,
        found: `${model.filters.length} blocks: ${sizes.map(show).join(' -> ')}`,
      }];
    }
  }
  return [];
}

/** Window, stride and padding of a spatial layer; undefined for the others. */
function windowOf(layer: LayerSpec): [number, number, 'same' | 'valid'] | undefined {
  switch (layer.type) {
    case 'conv2d':
      return [layer.kernelSize, layer.strides ?? 1, layer.padding ?? 'same'];
    case 'maxPool2d':
    case 'avgPool2d':
      return [layer.poolSize, layer.strides ?? layer.poolSize, 'valid'];
    default:
      return undefined;
  }
}

/**
 * Walks a `layers` stack over image samples; reports the first layer the shape cannot pass. A dense
 * layer ends the image part as a flatten does: the model builder flattens its input.
 */
function layersProblem(spec: Spec): SpecProblem[] {
  const { data, model } = spec;
  if (model.type !== 'layers' || !isImageData(data)) return [];
  let size = inputShapeOf(data)?.slice(0, 2) as Size | undefined;
  for (let i = 0; i < model.layers.length; i++) {
    const layer = model.layers[i];
    const win = windowOf(layer);
    if (layer.type === 'flatten' || layer.type === 'dense') size = undefined;
    if (!win) continue;
    const path = `model.layers[${i}]`;
    if (!size) return [{ path, expected: `a ${layer.type} before any flatten or dense layer`, found: showFound(layer) }];
    const next: Size = [axisOut(size[0], ...win), axisOut(size[1], ...win)];
    if (Math.min(...next) < 1) {
      return [{ path, expected: `a window that fits the ${show(size)} feature map`, found: `${showFound(layer)}, giving ${show(next)}` }];
    }
    size = next;
  }
  return [];
}

/** A flatten layer needs an image-shaped input: not flat data, nor what a flatten or dense layer already made flat. */
function flattenProblem(spec: Spec): SpecProblem[] {
  const { data, model } = spec;
  if (model.type !== 'layers') return [];
  let flat = !isImageData(data);
  for (let i = 0; i < model.layers.length; i++) {
    const layer = model.layers[i];
    if (layer.type === 'flatten' && flat) {
      return [{ path: `model.layers[${i}]`, expected: 'a flatten only on image-shaped input (once, before any dense layer; dense layers flatten their input themselves)', found: `${showFound(layer)} on input that is already flat` }];
    }
    if (layer.type === 'flatten' || layer.type === 'dense') flat = true;
  }
  return [];
}

const featureMapFits: Check = {
  reads: ['data.source', 'model'],
  run: ({ spec }) => [...cnnProblem(spec), ...layersProblem(spec), ...flattenProblem(spec)],
};

/** Images in the bundled UCI digits, and in MNIST's training set. */
const DIGITS_SAMPLES = 1797;
const MNIST_TRAIN = 60000;

/** Input shape, output units and sample count of the data, known before loading (a CSV's from its scan). */
export function dataShape(data: DataSpec, baseDir: string): { input: number[]; outputs: number; samples: number } | undefined {
  if (data.source === 'csv') {
    const f = csvFacts(data, baseDir);
    return f && !('problem' in f) ? { input: [f.features], outputs: f.classes || 1, samples: f.rows } : undefined;
  }
  const input = inputShapeOf(data) as number[];
  if (data.source === 'regression') return { input, outputs: 1, samples: data.samples };
  if (data.source === 'classification') return { input, outputs: data.classes, samples: data.samples };
  return { input, outputs: 10, samples: data.source === 'digits' ? DIGITS_SAMPLES : (data.limit ?? MNIST_TRAIN) };
}

/**
 * Training and validation rows of `data`, known before loading (engine/data splits the same way); undefined
 * when unknown or when the split is one splitSums rejects. MNIST's train and val divide its training
 * images in the ratio train:val (its test part is always the t10k images).
 */
export function fitRows(data: DataSpec, baseDir: string): { train: number; val: number } | undefined {
  const d = data.split.train > 0 ? dataShape(data, baseDir) : undefined;
  if (!d) return undefined;
  const { train, val } = splitCounts(d.samples, data.source === 'mnist' ? { ...data.split, test: 0 } : data.split);
  return { train, val };
}

/**
 * The model must fit the machine: at most LIMITS.params weights, and one batch's activations (per-sample
 * activations times the larger of the training batch and evaluation's batch) at most LIMITS.batchActivations.
 */
export const modelFits: Check = {
  reads: ['data', 'model', 'train.batchSize'],
  run: ({ spec: { data, model, train }, baseDir }) => {
    const d = dataShape(data, baseDir);
    const cost = d && modelCost(model, d.input, d.outputs);
    if (!d || !cost) return [];
    const out: SpecProblem[] = [];
    if (cost.params > LIMITS.params) {
      out.push({ path: 'model', expected: `a model of at most ${LIMITS.params} weights (128 MiB as float32)`, found: `${cost.params} weights` });
    }
    const trainRows = train.batchSize === 0 ? d.samples : Math.min(train.batchSize, d.samples);
    const rows = Math.max(trainRows, Math.min(LIMITS.evalBatch, d.samples));
    if (cost.activations * rows > LIMITS.batchActivations) {
      out.push({
        path: trainRows === rows && trainRows > Math.min(LIMITS.evalBatch, d.samples) ? 'train.batchSize' : 'model',
        expected: `at most ${LIMITS.batchActivations} activations per batch (1 GiB as float32)`,
        found: `${cost.activations} per sample × ${rows} rows`,
      });
    }
    return out;
  },
};

export const MODEL_CHECKS: readonly Check[] = [modelNeedsImages, featureMapFits, modelFits];
