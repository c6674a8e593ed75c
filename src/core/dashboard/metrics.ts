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
 * The best of `values` (max when higher is better, else min), ignoring missing and non-finite ones: the
 * value every cell equal to it is starred by, so of runs that tie for best none is starred above another.
 * Undefined when no value is better than another: fewer than two can be compared, all are equal, or the
 * metric registry gives the metric no direction (a federated run's `clients` count).
 */
export function bestValue(metric: string, values: readonly (number | undefined)[]): number | undefined {
  if (!betterOf(metric)) return undefined;
  const finite = values.filter((v): v is number => v !== undefined && Number.isFinite(v));
  const [lo, hi] = finite.reduce(([a, b], v) => [Math.min(a, v), Math.max(b, v)], [Infinity, -Infinity]);
  return finite.length >= 2 && lo < hi ? (higherIsBetter(metric) ? hi : lo) : undefined;
}
