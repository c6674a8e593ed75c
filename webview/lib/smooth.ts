/**
 * TensorBoard's smoothing: an exponential moving average with weight `w` in [0, 1), debiased so the
 * first points are not pulled towards zero (as in Adam's bias correction, Kingma & Ba 2015,
 * arXiv:1412.6980). Gaps (null) stay gaps and do not reset the average.
 *
 * A series the host downsampled (`mean` and `count`: core/dashboard/downsample.ts) is averaged over all
 * its raw points, a bucket of k finite values at a time: avg = avg * w^k + (1 - w^k) * mean, which is
 * the raw average at the bucket's end when its values are equal, and close to it otherwise; never over
 * the minima and maxima kept for drawing, which would bias the curve and change it as the run grows.
 * Only the points that end a bucket (or a gap) get a value; the others are undefined (not drawn).
 */
import type { SeriesPoints } from '../../src/core/dashboard/protocol';

export function smooth(p: Pick<SeriesPoints, 'y' | 'mean' | 'count'>, w: number): (number | null | undefined)[] {
  if (w <= 0) return p.y;
  let avg = 0;
  let n = 0;
  return p.y.map((v, i) => {
    const finite = v !== null && Number.isFinite(v);
    const k = p.count ? p.count[i] : finite ? 1 : 0;
    const mean = p.mean ? p.mean[i] : v;
    const ends = k > 0 && mean !== null && Number.isFinite(mean);
    if (ends) {
      const decay = w ** k;
      avg = avg * decay + (1 - decay) * mean;
      n += k;
    }
    if (!finite) return null;
    return ends ? avg / (1 - w ** n) : undefined;
  });
}
