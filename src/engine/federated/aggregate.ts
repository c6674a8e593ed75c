/**
 * Server-side aggregation rules, as plain functions of the clients' updates (Flower's aggregate.py
 * shape): each update is one flat Float32Array of all model weights, in the same order for every client.
 * No TF.js: the coordinator aggregates while client processes hold the models. Sums run in float64.
 */

/** One client's contribution to a round: its model delta and its weight (its training samples, for FedAvg). */
export interface ClientUpdate {
  update: Float32Array;
  weight: number;
}

function sameLength(updates: ClientUpdate[]): number {
  if (!updates.length) throw new Error('aggregate: no updates');
  const d = updates[0].update.length;
  for (const u of updates) if (u.update.length !== d) throw new Error(`aggregate: updates of ${u.update.length} and ${d} values`);
  return d;
}

/**
 * FedAvg's aggregate (McMahan et al. 2017, arXiv:1602.05629): sum_k (n_k / n) u_k, the updates weighted
 * by their clients' sample counts.
 */
export function weightedMean(updates: ClientUpdate[]): Float32Array {
  const d = sameLength(updates);
  const total = updates.reduce((s, u) => s + u.weight, 0);
  if (!(total > 0)) throw new Error('weightedMean: the weights sum to 0');
  const acc = new Float64Array(d);
  for (const { update, weight } of updates) {
    const w = weight / total;
    for (let i = 0; i < d; i++) acc[i] += w * update[i];
  }
  return Float32Array.from(acc);
}

/** Applies `reduce` to each coordinate's values across the updates (sorted ascending). */
function coordinatewise(updates: ClientUpdate[], reduce: (sorted: Float64Array) => number): Float32Array {
  const d = sameLength(updates);
  const n = updates.length;
  const out = new Float32Array(d);
  const column = new Float64Array(n);
  for (let i = 0; i < d; i++) {
    for (let k = 0; k < n; k++) column[k] = updates[k].update[i];
    column.sort();
    out[i] = reduce(column);
  }
  return out;
}

/**
 * Coordinate-wise median (Yin et al. 2018, arXiv:1803.01498): per weight, the median of the clients'
 * values (the mean of the two middle ones for an even count). Unweighted.
 */
export function coordinateMedian(updates: ClientUpdate[]): Float32Array {
  return coordinatewise(updates, (c) => {
    const m = c.length >> 1;
    return c.length % 2 ? c[m] : (c[m - 1] + c[m]) / 2;
  });
}

/**
 * Coordinate-wise trimmed mean (Yin et al. 2018, arXiv:1803.01498): per weight, drop the floor(beta n)
 * largest and smallest values and average the rest. `beta` in [0, 0.5). Unweighted.
 */
export function trimmedMean(updates: ClientUpdate[], beta: number): Float32Array {
  if (!(beta >= 0 && beta < 0.5)) throw new Error(`trimmedMean: beta must be in [0, 0.5), got ${beta}`);
  const cut = Math.floor(beta * updates.length);
  return coordinatewise(updates, (c) => {
    let s = 0;
    for (let k = cut; k < c.length - cut; k++) s += c[k];
    return s / (c.length - 2 * cut);
  });
}

/** Squared Euclidean distances between every pair of updates (n x n, symmetric). */
function pairwiseDistances(updates: ClientUpdate[]): Float64Array[] {
  const n = updates.length;
  const dist = Array.from({ length: n }, () => new Float64Array(n));
  for (let a = 0; a < n; a++) {
    for (let b = a + 1; b < n; b++) {
      const [x, y] = [updates[a].update, updates[b].update];
      let s = 0;
      for (let i = 0; i < x.length; i++) s += (x[i] - y[i]) ** 2;
      dist[a][b] = dist[b][a] = s;
    }
  }
  return dist;
}

/**
 * Krum's choice (Blanchard et al. 2017, "Machine learning with adversaries", NeurIPS; arXiv:1703.02757):
 * each update's score is the sum of squared distances to its n - f - 2 nearest others; the `m` updates
 * with the lowest scores are selected (Krum: m = 1; Multi-Krum: m > 1). Needs n > 2f + 2. Returns the
 * selected indices, best first (ties by index).
 */
export function krumSelect(updates: ClientUpdate[], f: number, m = 1): number[] {
  sameLength(updates);
  const n = updates.length;
  if (!(n > 2 * f + 2)) throw new Error(`krum: ${n} updates cannot tolerate ${f} Byzantine ones (needs n > 2f + 2 = ${2 * f + 2})`);
  if (!(m >= 1 && m <= n)) throw new Error(`krum: cannot select ${m} of ${n} updates`);
  const dist = pairwiseDistances(updates);
  const scores = dist.map((row, a) => {
    const others = Array.from(row).filter((_, b) => b !== a).sort((x, y) => x - y);
    return others.slice(0, n - f - 2).reduce((s, v) => s + v, 0);
  });
  return scores.map((s, i) => [s, i]).sort((x, y) => x[0] - y[0] || x[1] - y[1]).slice(0, m).map(([, i]) => i);
}

/** Krum (m = 1: the selected update itself) or Multi-Krum (the mean of the m selected), unweighted. */
export function krum(updates: ClientUpdate[], f: number, m = 1): Float32Array {
  const chosen = krumSelect(updates, f, m).map((i) => ({ update: updates[i].update, weight: 1 }));
  return chosen.length === 1 ? Float32Array.from(chosen[0].update) : weightedMean(chosen);
}
