/** Metric names as the dashboard orders and judges them (pure: the webview imports this file). */
import { higherIsBetter } from '../../engine/train/early-stopping';
import { betterOf } from '../metrics/registry';

export { higherIsBetter };

/** Keras' names in the order a reader looks for them; others follow alphabetically, the learning rate last. */
const ORDER = ['loss', 'val_loss', 'accuracy', 'val_accuracy', 'mse', 'val_mse', 'test_loss', 'test_accuracy', 'test_mse', 'penalty'];

const rank = (m: string) => (m === 'lr' ? ORDER.length + 1 : ORDER.includes(m) ? ORDER.indexOf(m) : ORDER.length);

/** `names` without duplicates, in display order. */
export function sortMetrics(names: Iterable<string>): string[] {
  return [...new Set(names)].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * The index of the best of `values` (max when higher is better, else min; the first on ties), ignoring
 * missing and non-finite ones; undefined when fewer than two values can be compared, or when the metric
 * registry gives the metric no direction (a federated run's `clients` count: neither more nor fewer is better).
 */
export function bestIndex(metric: string, values: (number | undefined)[]): number | undefined {
  if (!betterOf(metric)) return undefined;
  const max = higherIsBetter(metric);
  let best: number | undefined;
  let count = 0;
  values.forEach((v, i) => {
    if (v === undefined || !Number.isFinite(v)) return;
    count += 1;
    if (best === undefined || (max ? v > values[best]! : v < values[best]!)) best = i;
  });
  return count >= 2 ? best : undefined;
}
