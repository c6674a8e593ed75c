import type { LayerSpec, ModelSpec } from './types';

/** The hidden stack a model spec stands for; `dropout` > 0 overrides the spec's own rate. */
export function hiddenLayers(spec: ModelSpec, dropout: number): LayerSpec[] {
  const drop = (rate: number): LayerSpec[] => (dropout || rate) > 0 ? [{ type: 'dropout', rate: dropout || rate }] : [];
  switch (spec.type) {
    case 'linear':
      return [];
    case 'mlp':
      return spec.layers.flatMap((units) => [{ type: 'dense', units, activation: spec.activation }, ...drop(spec.dropout)]);
    case 'cnn':
      return [
        ...spec.filters.flatMap((filters): LayerSpec[] => [
          { type: 'conv2d', filters, kernelSize: spec.kernelSize, padding: 'same', activation: spec.activation },
          ...(spec.batchNorm ? [{ type: 'batchNorm' } as const] : []),
          { type: 'maxPool2d', poolSize: spec.pool },
        ]),
        ...spec.dense.flatMap((units) => [{ type: 'dense', units, activation: spec.activation } as LayerSpec, ...drop(spec.dropout)]),
      ];
    case 'layers':
      return spec.layers;
  }
}
