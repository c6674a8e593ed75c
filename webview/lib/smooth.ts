/**
 * TensorBoard's smoothing: an exponential moving average with weight `w` in [0, 1), debiased so the
 * first points are not pulled towards zero (as in Adam's bias correction, Kingma & Ba 2015,
 * arXiv:1412.6980). Gaps (null) stay gaps and do not reset the average.
 */
export function smooth(y: (number | null)[], w: number): (number | null)[] {
  if (w <= 0) return y;
  let avg = 0;
  let n = 0;
  return y.map((v) => {
    if (v === null || !Number.isFinite(v)) return null;
    avg = avg * w + (1 - w) * v;
    n += 1;
    return avg / (1 - w ** n);
  });
}
