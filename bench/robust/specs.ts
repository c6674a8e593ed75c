// The bench's specs: Wong et al. 2020's MNIST network (the one their Fast-AT results use), trained
// normally and with Fast-AT, each evaluated under Hone's default ensemble at eps 0.3.
import type { LayerSpec } from '../../src/core/spec/types';
import { MNIST } from '../engine/workloads';

/** conv 16 4x4 stride 2, conv 32 4x4 stride 2 ('same' padding: PyTorch's padding 1 here), FC 100; Hone appends FC 10. */
export const WONG_LAYERS: LayerSpec[] = [
  { type: 'conv2d', filters: 16, kernelSize: 4, strides: 2, activation: 'relu' },
  { type: 'conv2d', filters: 32, kernelSize: 4, strides: 2, activation: 'relu' },
  { type: 'dense', units: 100, activation: 'relu' },
];

export interface BenchKnobs {
  /** MNIST training images used (60000: all). */
  limit: number;
  standardEpochs: number;
  fastEpochs: number;
  pgdEpochs: number;
  points: number;
  squareQueries: number;
}

export const knobs = (env = process.env): BenchKnobs => ({
  limit: Number(env.LIMIT ?? 60000),
  standardEpochs: Number(env.STD_EPOCHS ?? 4),
  fastEpochs: Number(env.FAST_EPOCHS ?? 10),
  pgdEpochs: Number(env.PGD_EPOCHS ?? 0),
  points: Number(env.POINTS ?? 1000),
  squareQueries: Number(env.SQUARE_QUERIES ?? 5000),
});

export const data = (k: BenchKnobs) => ({ source: 'mnist', path: MNIST, limit: k.limit, split: { train: 0.95, val: 0.05, test: 0 }, normalize: 'scale' });

export const evaluate = (k: BenchKnobs) => ({
  eps: 0.3, points: k.points,
  attacks: [{ attack: 'apgd-ce', steps: 100 }, { attack: 'apgd-dlr', steps: 100 }, { attack: 'square', queries: k.squareQueries }],
});

/** Wong et al.'s schedule: lr up linearly to its peak at 2/5 of training, then down (here Hone's one-cycle, cosine). */
const onecycle = { type: 'onecycle', pctStart: 0.4, divFactor: 25, finalDivFactor: 10000 };

/** PGD-AT's attack steps (PGD_EPOCHS > 0): each training image costs this many forward-backward passes, plus one. */
export const PGD_AT_STEPS = 40;

export function benchSpecs(k: BenchKnobs) {
  const base = { seed: 1, backend: 'auto', data: data(k), model: { type: 'layers', layers: WONG_LAYERS } };
  return [
    { label: 'standard', spec: { ...base, name: 'mnist-wong-standard', train: { optimizer: 'adam', lr: 0.001, batchSize: 100, epochs: k.standardEpochs }, robustness: { evaluate: evaluate(k) } } },
    {
      label: 'Fast-AT (FGSM, random start)',
      spec: {
        ...base, name: 'mnist-wong-fast-at',
        train: { optimizer: 'adam', lr: 0.005, schedule: onecycle, batchSize: 100, epochs: k.fastEpochs },
        robustness: { train: { method: 'fast', eps: 0.3, alpha: 0.375 }, evaluate: evaluate(k) },
      },
    },
    ...(k.pgdEpochs > 0 ? [{
      label: `PGD-AT (${PGD_AT_STEPS} steps)`,
      spec: {
        ...base, name: 'mnist-wong-pgd-at',
        train: { optimizer: 'adam', lr: 0.005, schedule: onecycle, batchSize: 100, epochs: k.pgdEpochs },
        robustness: { train: { method: 'pgd', eps: 0.3, steps: PGD_AT_STEPS, alpha: 0.01 }, evaluate: evaluate(k) },
      },
    }] : []),
  ];
}
