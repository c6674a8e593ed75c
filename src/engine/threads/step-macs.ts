/** The forward multiply-adds of one training step of a spec, for the thread count's small-model rule (count.ts). */
import type { Spec } from '../../core/spec/types';
import { dataShape } from '../../core/spec/checks-model';
import { modelCost } from '../../core/spec/model-cost';

/** Per-sample multiply-adds x the rows of a step (batch size 0: the whole data); undefined when the data's shape is not known before loading. */
export function stepMacs(spec: Spec, baseDir = process.cwd()): number | undefined {
  const shape = dataShape(spec.data, baseDir);
  const cost = shape && modelCost(spec.model, shape.input, shape.outputs);
  const { batchSize } = spec.train;
  return cost ? cost.macs * (batchSize === 0 ? shape.samples : Math.min(batchSize, shape.samples)) : undefined;
}
