/**
 * How runs, metrics and parameter values read in the Runs tree and the dashboard alike: the headline
 * metric of a run, metric values in their unit (accuracies as percentages), parameter values as the user
 * wrote them (`adam`, not `"adam"`), and the range a metric's axis may span. Pure: the webview imports it.
 */
import { metricInfo } from '../metrics/registry';

/**
 * A run's headline metric, in this order: validation first (what selection should use), then test, then
 * training; robust accuracy for a run that only evaluated a model under attack (`hone attack`).
 */
export const HEADLINE = ['val_accuracy', 'val_mse', 'val_loss', 'test_accuracy', 'test_mse', 'accuracy', 'mse', 'loss', 'robust_accuracy'];

export function headlineMetric(metrics: Record<string, number> | undefined): [string, number] | undefined {
  const key = HEADLINE.find((k) => metrics?.[k] !== undefined);
  return key === undefined ? undefined : [key, metrics![key]];
}

/** `val_accuracy` -> `val acc`, `test_mse` -> `test MSE`: the registry's label, shortened for narrow places. */
export function shortMetricName(name: string): string {
  const label = metricInfo(name)?.label ?? name;
  return label.replace('accuracy', 'acc').replace('validation', 'val');
}

/**
 * A value in its metric's unit: fractions as percentages (`95.0%`), with more decimals where one would
 * round a value short of 100% up to `100.0%` or one above 0 down to `0.0%` (`99.96%`); the rest to 3
 * significant digits. NaN and Infinity as such; a missing value (null from JSON) as `–`.
 */
export function formatMetric(name: string, v: number | null, extra = 0): string {
  if (v === null || v === undefined) return '–';
  if (!Number.isFinite(v)) return String(v);
  if (metricInfo(name)?.unit === 'fraction' && v >= 0 && v <= 1) return `${percent(v, 1 + extra)}%`;
  return compactNumber(v, 3 + extra);
}

function percent(v: number, least: number): string {
  for (let d = least; d < least + 5; d++) {
    const s = (v * 100).toFixed(d);
    if (!(v < 1 && Number(s) >= 100) && !(v > 0 && Number(s) <= 0)) return s;
  }
  return String(Number((v * 100).toPrecision(10)));
}

/** `0.000131826` -> `1.32e-4`, `109.123` -> `109`, `0.5` -> `0.5`: `digits` significant digits, no trailing zeros. */
export function compactNumber(v: number, digits = 3): string {
  if (!Number.isFinite(v) || Number.isInteger(v)) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return v.toExponential(digits - 1).replace(/\.?0+e/, 'e').replace('e+', 'e');
  return String(Number(v.toPrecision(digits)));
}

/** A spec value as written in a spec: strings bare, numbers in full, arrays and objects as compact JSON. */
export function showParam(v: unknown): string {
  if (v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || v === null) return String(v);
  return JSON.stringify(v).replace(/,/g, ', ');
}

/** A spec value for a short label: numbers to 2 significant digits (`1.3e-4`), the rest as `showParam`. */
export const shortParam = (v: unknown): string => (typeof v === 'number' ? compactNumber(v, 2) : showParam(v).replace(/, /g, ','));

/** `train.lr` -> `lr`, `model.layers[0]` -> `layers[0]`: the last segment of a spec path. */
export const lastSegment = (path: string): string => /(?:^|\.)([^.[]+(?:\[\d+\])*)$/.exec(path)?.[1] ?? path;

/** Units whose values are never negative. */
const NON_NEGATIVE = new Set(['fraction', 'loss', 'target units²', 'target units', 'ratio']);

/**
 * `[lo, hi]` padded by `pad` of its span and kept within what the metric can take: an accuracy axis never
 * runs past 1 (nor below 0), a loss axis never below 0. Data beyond such a limit (a negative log-likelihood
 * or ELBO logged as a loss by an imported or tracked run) keep their padded range: the limit is the
 * metric's usual one, and clamping to it would draw those points outside the frame.
 */
export function metricRange(metric: string, lo: number, hi: number, pad = 0.05): [number, number] {
  const p = hi > lo ? (hi - lo) * pad : Math.abs(lo) * pad || 0.5;
  let [a, b] = [lo - p, hi + p];
  const unit = metricInfo(metric)?.unit;
  if (unit && NON_NEGATIVE.has(unit) && lo >= 0) a = Math.max(0, a);
  if (unit === 'fraction' && hi <= 1) b = Math.min(1, b);
  return b > a ? [a, b] : [lo, hi > lo ? hi : lo + 1];
}

/**
 * Bounds for a chart axis that a charting library picks itself (nice numbers): only where its own choice
 * could run past what the metric can take, the metric's limit instead (1 for an accuracy near 1, 0 for a
 * loss near 0); undefined bounds are left to the library.
 */
export function axisCaps(metric: string, lo: number, hi: number): { min?: number; max?: number } {
  const unit = metricInfo(metric)?.unit;
  const span = Math.max(hi - lo, Math.abs(hi) * 1e-3, 1e-12);
  const out: { min?: number; max?: number } = {};
  if (unit && NON_NEGATIVE.has(unit) && lo >= 0 && lo < span * 0.2) out.min = 0;
  if (unit === 'fraction' && hi <= 1 && 1 - hi < span * 0.2) out.max = 1;
  return out;
}
