import * as tf from '@tensorflow/tfjs';
import type { Dataset, Part } from '../data/types';
import { forward } from '../models/forward';
import { correctCount, dataLoss } from './objective';
import { LIMITS } from '../../core/spec/limits';


/** Tensors of one data part, made once per run. */
export interface PartTensors {
  x: tf.Tensor;
  y: tf.Tensor;
  n: number;
}

export function toTensors(p: Part, inputShape: number[]): PartTensors {
  return { x: tf.tensor(p.x, [p.n, ...inputShape]), y: tf.tensor1d(p.y), n: p.n };
}

/**
 * Loss (and accuracy, or mse in the target's own units) of the model on a part, in inference mode.
 * Metric names get `prefix` (`val_`, `test_`). An empty part gives no metrics.
 */
export async function evaluate(model: tf.LayersModel, p: PartTensors, data: Dataset, prefix: string): Promise<Record<string, number>> {
  if (p.n === 0) return {};
  // One tidy per batch: a batch's activations are freed before the next one is computed.
  let lossSum: tf.Scalar = tf.scalar(0);
  let correct: tf.Scalar = tf.scalar(0);
  for (let start = 0; start < p.n; start += LIMITS.evalBatch) {
    const size = Math.min(LIMITS.evalBatch, p.n - start);
    const [l, c] = tf.tidy(() => {
      const xb = p.x.slice(start, size);
      const yb = p.y.slice(start, size);
      const out = forward(model, xb, false);
      const hits = data.task === 'classification' ? correctCount(out, yb) : tf.scalar(0);
      return [lossSum.add(dataLoss(data.task, out, yb, data.classes).mul(size)), correct.add(hits)];
    });
    tf.dispose([lossSum, correct]);
    [lossSum, correct] = [l as tf.Scalar, c as tf.Scalar];
  }
  const [loss, hits] = [(await lossSum.data())[0] / p.n, (await correct.data())[0]];
  tf.dispose([lossSum, correct]);
  return { [`${prefix}loss`]: loss, ...taskMetric(data, prefix, loss, hits / p.n) };
}

/** The task's own metric from the mean loss: accuracy, or mse in the target's units. */
export function taskMetric(data: Dataset, prefix: string, loss: number, accuracy: number): Record<string, number> {
  if (data.task === 'classification') return { [`${prefix}accuracy`]: accuracy };
  return { [`${prefix}mse`]: loss * (data.target ? data.target.std ** 2 : 1) };
}
