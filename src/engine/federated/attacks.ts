/**
 * Simulated Byzantine clients: a fixed set of clients (chosen once, by seed, recorded in the partition
 * summary) that, whenever sampled, send a crafted update instead of their honest one.
 *
 * - `signFlip`: -scale * delta, the honest update reversed and amplified (Blanchard et al. 2017 and Yin et
 *   al. 2018 use reversed gradients; the scale makes a minority able to cancel the honest majority: with
 *   20% attackers and scale 4, the expected mean update is 0.8 - 0.2 * 4 = 0).
 * - `scale`: scale * delta, a boosted update (Bhagoji et al. 2019, arXiv:1811.12470).
 * - `labelFlip`: trains honestly on labels c -> classes - 1 - c (data poisoning; Tolpegin et al. 2020,
 *   arXiv:2007.08432), so its update is wrong in a way that looks like a normal update.
 */
import { createRng, derive } from '../../core/rng';
import type { AttackSpec } from '../../core/spec/federated-types';

/** The Byzantine clients: round(fraction * clients) of them, drawn by seed, ascending. */
export function byzantineClients(clients: number, fraction: number, seed: number): number[] {
  const count = Math.round(fraction * clients);
  const ids = createRng(derive(seed, 'byzantine')).shuffle(Array.from({ length: clients }, (_, i) => i));
  return ids.slice(0, count).sort((a, b) => a - b);
}

/** The update a Byzantine client sends in place of its honest `delta` (in place; label flips change nothing here). */
export function craftUpdate(delta: Float32Array, a: AttackSpec): Float32Array {
  if (a.type === 'signFlip') for (let i = 0; i < delta.length; i++) delta[i] *= -a.scale;
  else if (a.type === 'scale') for (let i = 0; i < delta.length; i++) delta[i] *= a.scale;
  return delta;
}

/** Labels as a label-flipping client trains on them: c -> classes - 1 - c (a copy). */
export const flipLabels = (y: Float32Array, classes: number): Float32Array => y.map((c) => classes - 1 - c);
