// Smoothing a series the host downsampled: from each bucket's mean and count, the debiased EMA at the
// bucket ends is the raw series' (exactly when the values within each bucket are equal), not that of the
// minima, maxima and last points kept for drawing.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { newSampler, pushPoint, samplerColumns } from '../../src/core/dashboard/downsample';
import type { SeriesPoints } from '../../src/core/dashboard/protocol';
import { createRng } from '../../src/core/rng';
import { smooth } from '../../webview/lib/smooth';

/** The series as the webview receives it, raw point `i` at step `i`. */
function downsampled(ys: number[]): SeriesPoints & { width: number } {
  const s = newSampler(1500);
  ys.forEach((y, i) => pushPoint(s, { i, step: i, epoch: i, time: i, y }));
  return { ...samplerColumns(s), width: s.width };
}

describe('dashboard: smoothing a downsampled series', () => {
  it('equals smoothing the raw series at every bucket end when each bucket holds one value (known answer), gaps included', () => {
    const rng = createRng(4);
    const level = Array.from({ length: 400 }, () => 1 + 0.3 * rng.normal());
    // Constant over blocks of 64 raw points (the buckets are 64 wide), some values NaN, the last one too.
    const ys = Array.from({ length: 20_000 }, (_, i) => (i % 997 === 5 || i === 19_999 ? NaN : level[Math.floor(i / 64)]));
    const p = downsampled(ys);
    assert.equal(p.width, 64);
    for (const w of [0.5, 0.9, 0.99]) {
      const raw = smooth({ y: ys.map((y) => (Number.isFinite(y) ? y : null)) }, w);
      const out = smooth(p, w);
      let ends = 0;
      out.forEach((v, k) => {
        if (v === undefined) return assert.equal(p.count![k], 0, 'only the points that end a bucket are drawn');
        ends++;
        const r = raw[p.step[k]];
        if (r === null) return assert.equal(v, null, 'a NaN stays a gap');
        assert.ok(Math.abs(v! - r!) <= 1e-12 * Math.abs(r!), `w ${w}, step ${p.step[k]}: ${v} vs ${r}`);
      });
      assert.equal(ends, Math.ceil(20_000 / 64));
      assert.equal(out.at(-1), null);
    }
  });

  it('is not biased on a skewed noisy loss, unlike smoothing the points kept for drawing', () => {
    const rng = createRng(3);
    const ys = Array.from({ length: 20_000 }, (_, i) => 0.1 + Math.exp(-i / 4000) + 0.05 * Math.exp(rng.normal()));
    const p = downsampled(ys);
    for (const w of [0.9, 0.99]) {
      const raw = smooth({ y: ys }, w);
      /** Σ(curve − raw) / Σ raw over the bucket ends. */
      const bias = (curve: (number | null | undefined)[]) => {
        let d = 0;
        let sum = 0;
        p.step.forEach((step, k) => {
          if (!p.count![k]) return;
          d += curve[k]! - raw[step]!;
          sum += raw[step]!;
        });
        return d / sum;
      };
      // What is left is the loss's fall within a bucket: its mean sits half a bucket (32 steps) before its end.
      assert.ok(Math.abs(bias(smooth(p, w))) < 0.005, `w ${w}: bias ${bias(smooth(p, w))}`);
      assert.ok(bias(smooth({ y: p.y }, w)) > 0.1, 'the drawn points (min, max, last) alone overstate a skewed loss');
    }
  });

  it('leaves a series that was not downsampled as before: every point, the raw EMA', () => {
    const ys = [1, 3, null, 3];
    assert.deepEqual(smooth({ y: ys }, 0.5).map((v) => (v === null ? v : +v!.toFixed(12))), [1, +(7 / 3).toFixed(12), null, +(2.375 / 0.875).toFixed(12)]);
  });
});
