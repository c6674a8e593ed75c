import type { Split } from '../../core/spec/types';
import { createRng, derive } from '../../core/rng';
import type { Part } from './types';

export interface SplitCounts { train: number; val: number; test: number }

/**
 * Sizes of the three parts of n samples. Fractions are taken relative to their sum; val and test
 * are floored and the remainder goes to train. A positive val or test fraction gets at least one row
 * while train keeps one (data.split.val > 0 is what the spec checks ask for val_ metrics to exist).
 */
export function splitCounts(n: number, split: Split): SplitCounts {
  const total = split.train + split.val + split.test;
  if (!(total > 0) || split.train < 0 || split.val < 0 || split.test < 0) {
    throw new Error(`split: fractions must be non-negative with a positive sum, got ${JSON.stringify(split)}`);
  }
  // The epsilon keeps e.g. 100 * 0.29 = 28.999999999999996 from flooring to 28.
  const part = (f: number): number => Math.floor((n * f) / total + 1e-9);
  const atLeastOne = (f: number): number => (f > 0 ? Math.max(1, part(f)) : 0);
  const [val, test] = n - atLeastOne(split.val) - atLeastOne(split.test) >= 1 ? [atLeastOne(split.val), atLeastOne(split.test)] : [part(split.val), part(split.test)];
  return { train: n - val - test, val, test };
}

/** Copies the rows at `indices` into a new part; `rowSize` values of x per row. */
export function takeRows(src: Part, indices: ArrayLike<number>, rowSize: number): Part {
  const n = indices.length;
  const x = new Float32Array(n * rowSize);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const r = indices[i];
    x.set(src.x.subarray(r * rowSize, (r + 1) * rowSize), i * rowSize);
    y[i] = src.y[r];
  }
  return { x, y, n };
}

/** A permutation of 0..n-1 from `seed`. */
export function permutation(n: number, seed: number): Uint32Array {
  const idx = new Uint32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  return createRng(seed).shuffle(idx);
}

/**
 * Shuffles the samples with a sub-seed of `seed` and cuts them into train / val / test by the
 * split's fractions (see `splitCounts`). The parts are disjoint and together hold every sample.
 */
export function splitPart(all: Part, split: Split, seed: number): { train: Part; val: Part; test: Part } {
  const rowSize = all.n === 0 ? 0 : all.x.length / all.n;
  const c = splitCounts(all.n, split);
  const idx = permutation(all.n, derive(seed, 'split'));
  return {
    train: takeRows(all, idx.subarray(0, c.train), rowSize),
    val: takeRows(all, idx.subarray(c.train, c.train + c.val), rowSize),
    test: takeRows(all, idx.subarray(c.train + c.val), rowSize),
  };
}
