/**
 * Structured pruning: whole dense units and conv filters go, ranked by the L1 (Li et al. 2017, "Pruning
 * Filters for Efficient ConvNets", arXiv:1608.08710) or L2 norm of their weights, so the network that is
 * left is physically smaller: fewer units or filters, and the next layer's matching inputs removed too
 * (see surgery.ts). Pure: kernels are row-major with units (filters) on the last axis.
 */
export interface StructuredConfig {
  /** Fraction of the layer's units removed: round(fraction * units) of them, halves up. */
  fraction: number;
  norm: 'l1' | 'l2';
}

/** The norm of each unit's weights: unit j holds the elements i with i % units == j. */
export function unitNorms(w: Float32Array, units: number, norm: 'l1' | 'l2'): Float64Array {
  const out = new Float64Array(units);
  for (let i = 0; i < w.length; i++) out[i % units] += norm === 'l1' ? Math.abs(w[i]) : w[i] * w[i];
  return norm === 'l1' ? out : out.map(Math.sqrt);
}

/** How many of `units` units `fraction` removes. */
export const removedUnits = (fraction: number, units: number): number => Math.round(fraction * units);

/**
 * The units kept (ascending): all but the round(fraction * units) of smallest norm (ties: the lower index
 * goes first). Throws when that would be every unit.
 */
export function unitsToKeep(w: Float32Array, shape: number[], c: StructuredConfig): Int32Array {
  const units = shape[shape.length - 1];
  const drop = removedUnits(c.fraction, units);
  if (drop >= units) throw new Error(`structured pruning would remove all ${units} units of a layer`);
  const norms = unitNorms(w, units, c.norm);
  const order = Array.from({ length: units }, (_, j) => j).sort((a, b) => norms[a] - norms[b] || a - b);
  return Int32Array.from(order.slice(drop)).sort();
}

/** `data` of `shape` with only the indices `keep` along `axis`. */
export function sliceAxis(data: Float32Array, shape: number[], axis: number, keep: Int32Array): { data: Float32Array; shape: number[] } {
  const outer = shape.slice(0, axis).reduce((a, b) => a * b, 1);
  const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const n = shape[axis];
  const out = new Float32Array(outer * keep.length * inner);
  for (let o = 0; o < outer; o++) {
    keep.forEach((k, j) => out.set(data.subarray((o * n + k) * inner, (o * n + k + 1) * inner), (o * keep.length + j) * inner));
  }
  return { data: out, shape: shape.map((s, i) => (i === axis ? keep.length : s)) };
}

/** Inputs of a dense layer after Flatten of h x w x channels (channels last) that come from the kept channels. */
export function flattenedKeep(spatial: number, channels: number, keep: Int32Array): Int32Array {
  const out = new Int32Array(spatial * keep.length);
  for (let p = 0; p < spatial; p++) keep.forEach((c, j) => (out[p * keep.length + j] = p * channels + c));
  return out;
}
