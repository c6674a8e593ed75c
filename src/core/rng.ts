/**
 * Seeded pseudo-random numbers: sfc32 (Doty-Humphrey's Small Fast Counting generator, passes PractRand),
 * seeded through a splitmix-style hash. Only 32-bit integer arithmetic (`Math.imul`, `>>>`) touches the
 * state, so a seed gives the same sequence on every run and platform.
 */

/** Anything indexable and writable: plain arrays and typed arrays. */
export type Shuffleable = { length: number; [i: number]: unknown };

export interface Rng {
  /** Uniform in [0, 1) with 32 bits of resolution. */
  next(): number;
  /** Standard normal N(0, 1) by the Box-Muller transform (the second value of each pair is cached). */
  normal(): number;
  /** Uniform integer in [0, n); n a positive integer below 2^32 (bias below n / 2^32). */
  int(n: number): number;
  /** Fisher-Yates shuffle in place; returns the same array. */
  shuffle<A extends Shuffleable>(arr: A): A;
  /** Everything the next draws depend on, as plain JSON (for checkpoints). */
  state(): RngState;
  /** Continues from a `state()`: the draws that follow are the ones that followed it. */
  restore(s: RngState): void;
}

/** sfc32's four 32-bit words (unsigned), and the Box-Muller value `normal()` has cached, if any. */
export interface RngState {
  words: [number, number, number, number];
  spare: number | null;
}

const GOLDEN = 0x9e3779b9;
const TWO32 = 4294967296;

/** MurmurHash3's 32-bit finaliser after a golden-ratio step (the step keeps 0 from being a fixed point). */
function mix(h: number): number {
  let z = (h + GOLDEN) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

const bits = new DataView(new ArrayBuffer(8));

/**
 * Folds a number into the hash: an integer by both 32-bit halves, so seeds up to 2^53 stay distinct; any
 * other number by the two words of its float64 bits, tagged apart (eps 0.1 and 0.3 are distinct labels).
 */
function mixNumber(h: number, n: number): number {
  if (!Number.isFinite(n)) throw new Error(`rng: seed must be a finite number, got ${n}`);
  if (!Number.isInteger(n)) {
    bits.setFloat64(0, n);
    return mix(mix(mix(h ^ 0x464c5436) ^ bits.getUint32(0)) ^ bits.getUint32(4));
  }
  const lo = n >>> 0;
  const hi = Math.floor(n / TWO32) >>> 0;
  return mix(mix(h ^ lo) ^ hi);
}

/**
 * Derives an independent sub-seed from a seed and labels, e.g. `derive(seed, 'init', layer)` or
 * `derive(seed, 'shuffle', epoch)`. Labels are tagged by type and length, so `('a', 1)`, `('a1')` and
 * `('a', '1')` all differ. Returns an integer in [0, 2^32).
 */
export function derive(seed: number, ...labels: (string | number)[]): number {
  let h = mixNumber(0x6a09e667, seed);
  for (const label of labels) {
    if (typeof label === 'number') {
      h = mixNumber(mix(h ^ 0x4e554d42), label);
    } else {
      h = mix(h ^ 0x53545247);
      for (let i = 0; i < label.length; i++) h = mix(Math.imul(h ^ label.charCodeAt(i), 0x01000193));
      h = mix(h ^ label.length);
    }
  }
  return h;
}

/** Creates a generator from a seed (any finite number; integers below 2^53 are all distinct seeds). */
export function createRng(seed: number): Rng {
  let a = mixNumber(1, seed);
  let b = mix(a ^ 2);
  let c = mix(b ^ 3);
  let d = mix(c ^ 4);
  let spare: number | undefined;

  function nextU32(): number {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  }
  // The usual warm-up, so that nearby seeds decorrelate before the first draw.
  for (let i = 0; i < 12; i++) nextU32();

  const next = (): number => nextU32() / TWO32;
  return {
    next,
    normal(): number {
      if (spare !== undefined) {
        const z = spare;
        spare = undefined;
        return z;
      }
      const u1 = 1 - next(); // in (0, 1], so the log is finite
      const u2 = next();
      const r = Math.sqrt(-2 * Math.log(u1));
      spare = r * Math.sin(2 * Math.PI * u2);
      return r * Math.cos(2 * Math.PI * u2);
    },
    int(n: number): number {
      if (!Number.isInteger(n) || n < 1 || n > TWO32) throw new Error(`rng.int: n must be an integer in [1, 2^32], got ${n}`);
      return Math.floor(next() * n);
    },
    shuffle<A extends Shuffleable>(arr: A): A {
      for (let i = arr.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        const t = arr[i];
        arr[i] = arr[j];
        arr[j] = t;
      }
      return arr;
    },
    state: () => ({ words: [a >>> 0, b >>> 0, c >>> 0, d >>> 0], spare: spare ?? null }),
    restore(s: RngState): void {
      if (s.words.length !== 4 || !s.words.every((w) => Number.isInteger(w) && w >= 0 && w < TWO32)) {
        throw new Error(`rng.restore: expected four unsigned 32-bit words, got ${JSON.stringify(s.words)}`);
      }
      [a, b, c, d] = s.words.map((w) => w | 0);
      spare = s.spare ?? undefined;
    },
  };
}
