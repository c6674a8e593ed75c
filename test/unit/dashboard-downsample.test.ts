// Min/max/last downsampling: a hand-computed case, properties over random series, and streaming patches
// that add up to the batch result.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { applyPatch, downsample, newSampler, pushPoint, samplerColumns, samplerOf, samplerPoints, takePatch, type RawPoint, type Sampler } from '../../src/core/dashboard/downsample';
import type { SeriesPoints } from '../../src/core/dashboard/protocol';
import { createRng } from '../../src/core/rng';

const series = (ys: number[]): RawPoint[] => ys.map((y, i) => ({ i, step: 10 * (i + 1), epoch: i + 1, time: i * 0.5, y }));
/** The sampler of a whole series pushed at once. */
function batch(ys: number[], max: number): Sampler {
  const s = newSampler(max);
  for (const p of series(ys)) pushPoint(s, p);
  return s;
}

describe('dashboard: downsampling', () => {
  it('keeps a short series whole', () => {
    const s = series([3, 1, 2]);
    assert.deepEqual(downsample(s, 1500), s);
    assert.deepEqual(downsample(series(Array.from({ length: 1500 }, (_, i) => i)), 1500).length, 1500);
  });

  it('keeps the min, max and last of each bucket (hand-computed)', () => {
    // 7 points, at most 6: buckets of 4 -> [5 1 9 3] gives 1, 9, 3; [2 8 4] gives 2, 8, 4; the first 5 goes.
    const out = downsample(series([5, 1, 9, 3, 2, 8, 4]), 6);
    assert.deepEqual(out.map((p) => p.i), [1, 2, 3, 4, 5, 6]);
    assert.deepEqual(out.map((p) => p.y), [1, 9, 3, 2, 8, 4]);
  });

  it('never exceeds maxPoints and always keeps the extremes and the last point', () => {
    const rng = createRng(11);
    for (const [n, max] of [[1501, 1500], [10_000, 1500], [7777, 300], [4096, 6], [100, 7]]) {
      const ys = Array.from({ length: n }, () => rng.normal() * 100);
      const out = downsample(series(ys), max);
      assert.ok(out.length <= max, `${n} points -> ${out.length} > ${max}`);
      assert.ok(out.length >= max / 4, `${n} points -> only ${out.length}`);
      const ids = out.map((p) => p.i);
      assert.deepEqual(ids, [...ids].sort((a, b) => a - b), 'in series order');
      assert.equal(new Set(ids).size, ids.length, 'no duplicates');
      assert.ok(out.every((p) => p.y === ys[p.i]), 'only real points');
      assert.equal(Math.min(...out.map((p) => p.y)), Math.min(...ys));
      assert.equal(Math.max(...out.map((p) => p.y)), Math.max(...ys));
      assert.equal(out[out.length - 1].i, n - 1);
    }
  });

  it('ignores NaN for the extremes but keeps a NaN last point as a gap', () => {
    const ys = [...Array.from({ length: 40 }, (_, i) => Math.sin(i)), NaN, NaN];
    const out = downsample(series(ys), 9);
    assert.equal(Math.min(...out.filter((p) => Number.isFinite(p.y)).map((p) => p.y)), Math.min(...ys.slice(0, 40)));
    assert.equal(out[out.length - 1].i, 41);
    assert.deepEqual(samplerColumns(batch(ys, 9)).y.slice(-1), [null]);
  });

  it('streams: the patches applied in order give the batch result at every moment', () => {
    const rng = createRng(5);
    const ys = Array.from({ length: 5000 }, (_, i) => Math.exp(-i / 800) + 0.05 * rng.normal());
    const s = newSampler(150);
    const view: SeriesPoints = { step: [], epoch: [], time: [], y: [] };
    let patches = 0;
    let fromZero = 0;
    for (const p of series(ys)) {
      pushPoint(s, p);
      if (rng.next() < 0.05 || p.i === ys.length - 1) {
        const patch = takePatch(s)!;
        patches++;
        if (patch.from === 0) fromZero++;
        applyPatch(view, patch);
        assert.deepEqual(view, samplerColumns(batch(ys.slice(0, p.i + 1), 150)));
      }
    }
    assert.equal(takePatch(s), undefined, 'nothing new, no patch');
    assert.ok(fromZero < patches / 4, `most patches are tails (${fromZero} of ${patches} from 0)`);
    assert.deepEqual(samplerPoints(s), downsample(series(ys), 150));
  });

  it('builds from whole columns the sampler that pushing point by point leaves: ties, NaN, Infinity, rows', () => {
    const rng = createRng(8);
    for (const [n, max] of [[0, 10], [1, 3], [7, 6], [1500, 1500], [1501, 1500], [3001, 1500], [10_000, 1500], [4097, 7], [999, 3]]) {
      // Few distinct values (ties everywhere), with NaN and +-Infinity, over a sparse subset of rows.
      const ys = Array.from({ length: n }, () => [NaN, Infinity, -Infinity][Math.floor(rng.next() * 10)] ?? Math.round(rng.normal() * 3));
      if (n > 100) assert.ok(ys.some(Number.isNaN) && ys.includes(Infinity), 'the series has gaps');
      const rows = Array.from({ length: n }, (_, i) => 3 * i + 1);
      const x = { step: Array.from({ length: 3 * n + 2 }, (_, r) => 10 * r), epoch: Array.from({ length: 3 * n + 2 }, (_, r) => r), time: Array.from({ length: 3 * n + 2 }, (_, r) => r / 4) };
      const pushed = newSampler(max);
      ys.forEach((y, i) => pushPoint(pushed, { i, step: x.step[rows[i]], epoch: x.epoch[rows[i]], time: x.time[rows[i]], y }));
      const built = samplerOf(ys, x, rows, max);
      assert.deepEqual(samplerPoints(built), samplerPoints(pushed), `${n} points in ${max}`);
      assert.deepEqual(takePatch(built), takePatch(pushed));
      assert.deepEqual([built.width, built.count], [pushed.width, pushed.count]);
      pushPoint(built, { i: n, step: 0, epoch: 0, time: 0, y: 5 });
      pushPoint(pushed, { i: n, step: 0, epoch: 0, time: 0, y: 5 });
      assert.deepEqual(takePatch(built), takePatch(pushed), 'and streams on alike');
    }
  });

  it('rejects a point budget below 3', () => {
    assert.throws(() => newSampler(2), /maxPoints: expected an integer >= 3, found 2/);
  });
});
