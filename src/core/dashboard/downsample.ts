/**
 * Min/max/last downsampling of a metric series, streaming: points arrive one epoch at a time and memory
 * stays O(maxPoints). The raw points are cut into buckets of `width` consecutive points (a power of two);
 * each bucket keeps its minimum, its maximum and its last point, so the extremes of the whole series (a
 * loss spike, the best accuracy) and its latest value always survive, unlike stride sampling or
 * averaging (cf. M4, Jugel et al. 2014, and Chart.js' min-max decimation). When the buckets would emit
 * more than `maxPoints` points, neighbours merge pairwise and `width` doubles; buckets are aligned to
 * multiples of `width`, so the streamed result equals downsampling the whole series at once.
 *
 * A downsampled series also carries each bucket's mean and count of finite values, at its last point:
 * smoothing (webview/lib/smooth.ts) averages over every raw point from them, not over the extremes kept.
 */
import type { SeriesPatch, SeriesPoints } from './protocol';

/** One raw point: its index among the series' points, its x coordinates and its value. */
export interface RawPoint {
  i: number;
  step: number;
  epoch: number;
  time: number;
  y: number;
}

interface Bucket {
  /** Extremes over the finite values (undefined when the bucket has none: a diverged run's NaNs). */
  min?: RawPoint;
  max?: RawPoint;
  last: RawPoint;
  /** The finite values' sums (non-finite ones count as 0) and their number. */
  sums: Sums;
  finite: number;
}

/**
 * Pairwise sums over aligned blocks of 1, 2, 4... points, sizes decreasing (a binary counter; the last
 * bucket's may be several, a full bucket's is one). A bucket's sum is then the same to the bit however it
 * was filled: point by point, from two merged halves, or from whole columns, so a streamed series and the
 * whole series read at once agree.
 */
interface Sums {
  size: number[];
  sum: number[];
}

/** Adds the block of `size` points after those in `s`, in place, carrying equal blocks into one. */
function pushSum(s: Sums, size: number, sum: number): void {
  while (s.size.length && s.size[s.size.length - 1] === size) {
    s.size.pop();
    sum = s.sum.pop()! + sum;
    size *= 2;
  }
  s.size.push(size);
  s.sum.push(sum);
}

/** Adds the next point: a non-finite value adds 0 (it still takes its place). */
const addPoint = (s: Sums, y: number): void => pushSum(s, 1, Number.isFinite(y) ? y : 0);
const noSums = (): Sums => ({ size: [], sum: [] });
const total = (s: Sums): number => s.sum.reduceRight((t, v) => v + t, 0);

export interface Sampler {
  readonly maxPoints: number;
  /** Raw points per bucket. */
  width: number;
  /** Raw points pushed so far. */
  count: number;
  buckets: Bucket[];
  /** Index of the first bucket changed since the last `takePatch`; Infinity when none. */
  dirty: number;
}

/** The most points a series is drawn with: Chart.js stays fluid well below ~5,000 per chart. */
export const MAX_POINTS = 1500;

export function newSampler(maxPoints = MAX_POINTS): Sampler {
  if (!(Number.isInteger(maxPoints) && maxPoints >= 3)) throw new Error(`maxPoints: expected an integer >= 3, found ${maxPoints}`);
  return { maxPoints, width: 1, count: 0, buckets: [], dirty: Infinity };
}

// Ties keep the earlier point.
const lower = (a: RawPoint | undefined, b: RawPoint | undefined) => (!b || (a && a.y <= b.y) ? a : b);
const higher = (a: RawPoint | undefined, b: RawPoint | undefined) => (!b || (a && a.y >= b.y) ? a : b);

/** Folds bucket `b` (the points after `a`'s) into `a`, in place. */
function mergeInto(a: Bucket, b: Bucket): Bucket {
  a.min = lower(a.min, b.min);
  a.max = higher(a.max, b.max);
  a.last = b.last;
  b.sums.size.forEach((size, k) => pushSum(a.sums, size, b.sums.sum[k]));
  a.finite += b.finite;
  return a;
}

/** Adds the next point (its `i` must be `s.count`). */
export function pushPoint(s: Sampler, p: RawPoint): void {
  const finite = Number.isFinite(p.y) ? p : undefined;
  if (s.count % s.width === 0) s.buckets.push({ last: p, sums: noSums(), finite: 0 });
  const b = s.buckets[s.buckets.length - 1];
  if (finite) {
    b.min = lower(b.min, finite);
    b.max = higher(b.max, finite);
    b.finite += 1;
  }
  addPoint(b.sums, p.y);
  b.last = p;
  s.count += 1;
  s.dirty = Math.min(s.dirty, s.buckets.length - 1);
  // A bucket of width w emits at most min(w, 3) points.
  while (s.buckets.length * Math.min(s.width, 3) > s.maxPoints) {
    const merged: Bucket[] = [];
    for (let k = 0; k < s.buckets.length; k += 2) merged.push(s.buckets[k + 1] ? mergeInto(s.buckets[k], s.buckets[k + 1]) : s.buckets[k]);
    s.buckets = merged;
    s.width *= 2;
    s.dirty = 0;
  }
}

/** Columns of x coordinates, indexed by row. */
export interface XColumns {
  step: ArrayLike<number>;
  epoch: ArrayLike<number>;
  time: ArrayLike<number>;
}

/**
 * The sampler that pushing a whole series point by point leaves (point `i`: value `y[i]`, coordinates
 * at row `rows[i]` of `x`, or row `i` without `rows`), built in one pass without an object per raw
 * point: the final width is the smallest power of two that fits (what the merges reach, as the number
 * of buckets only grows with the points), and each bucket's extremes are found with the same ties.
 */
export function samplerOf(y: ArrayLike<number>, x: XColumns, rows?: ArrayLike<number>, maxPoints = MAX_POINTS): Sampler {
  const s = newSampler(maxPoints);
  const n = y.length;
  while (Math.ceil(n / s.width) * Math.min(s.width, 3) > maxPoints) s.width *= 2;
  const point = (i: number): RawPoint => {
    const r = rows ? rows[i] : i;
    return { i, step: x.step[r], epoch: x.epoch[r], time: x.time[r], y: y[i] };
  };
  for (let b = 0; b < n; b += s.width) {
    const end = Math.min(n, b + s.width);
    let lo = -1;
    let hi = -1;
    const sums = noSums();
    let finite = 0;
    for (let i = b; i < end; i++) {
      addPoint(sums, y[i]);
      if (!Number.isFinite(y[i])) continue;
      if (lo < 0 || y[i] < y[lo]) lo = i;
      if (hi < 0 || y[i] > y[hi]) hi = i;
      finite += 1;
    }
    s.buckets.push({ min: lo < 0 ? undefined : point(lo), max: hi < 0 ? undefined : point(hi), last: point(end - 1), sums, finite });
  }
  s.count = n;
  if (n) s.dirty = 0;
  return s;
}

/** A bucket's points in series order, without duplicates (`last` is always the latest). */
function emitted(b: Bucket): RawPoint[] {
  const { min, max, last } = b;
  if (!min || !max) return [last];
  const [first, second] = min.i <= max.i ? [min, max] : [max, min];
  if (second.i === last.i) return first.i === last.i ? [last] : [first, last];
  return first.i === second.i ? [first, last] : [first, second, last];
}

/** The downsampled series now. */
export function samplerPoints(s: Sampler): RawPoint[] {
  return s.buckets.flatMap(emitted);
}

/**
 * Appends the points of `buckets` to column-wise arrays, with non-finite values as null (JSON and Chart.js
 * gaps); with `means`, each bucket's mean and count of finite values at its last point (null and 0 at the
 * others). A series not downsampled (buckets of one point) goes without: its points are its means.
 */
function appendBuckets<T extends SeriesPoints>(out: T, buckets: Bucket[], means: boolean): T {
  if (means) (out.mean = []), (out.count = []);
  for (const b of buckets) {
    const points = emitted(b);
    for (const p of points) {
      out.step.push(p.step);
      out.epoch.push(p.epoch);
      out.time.push(p.time);
      out.y.push(Number.isFinite(p.y) ? p.y : null);
    }
    if (!means) continue;
    for (let k = 1; k < points.length; k++) out.mean!.push(null), out.count!.push(0);
    const mean = total(b.sums) / b.finite;
    out.mean!.push(Number.isFinite(mean) ? mean : null);
    out.count!.push(b.finite);
  }
  return out;
}

/** The downsampled series now, column-wise, as the patches applied in order give it. */
export const samplerColumns = (s: Sampler): SeriesPoints => appendBuckets({ step: [], epoch: [], time: [], y: [] }, s.buckets, s.width > 1);

/**
 * The change since the last call: the points from the first changed bucket on, and where they start in
 * the downsampled series (0 after a merge). Undefined when nothing changed.
 */
export function takePatch(s: Sampler): SeriesPatch | undefined {
  if (s.dirty === Infinity) return undefined;
  let from = 0;
  for (let k = 0; k < s.dirty; k++) from += emitted(s.buckets[k]).length;
  const patch = appendBuckets({ from, step: [], epoch: [], time: [], y: [] }, s.buckets.slice(s.dirty), s.width > 1);
  s.dirty = Infinity;
  return patch;
}

/**
 * Applies a patch to a series in place (what the webview does with each `series` message). A patch
 * without means comes from a series not downsampled, which had none before either (a sampler's buckets
 * only grow), or replaces the whole series.
 */
export function applyPatch(series: SeriesPoints, patch: SeriesPatch): void {
  for (const k of ['step', 'epoch', 'time', 'y', 'mean', 'count'] as const) {
    const column = patch[k];
    if (!column) {
      delete (series as Partial<SeriesPoints>)[k];
      continue;
    }
    const to = (series[k] ??= []) as unknown[];
    to.length = Math.min(to.length, patch.from);
    to.push(...column);
  }
}

/** Downsamples a whole series at once: the same points the streaming sampler ends with. */
export function downsample(points: RawPoint[], maxPoints = MAX_POINTS): RawPoint[] {
  const s = newSampler(maxPoints);
  for (const p of points) pushPoint(s, p);
  return samplerPoints(s);
}
