/**
 * Who takes part in a round, and how it goes for them. Seeded per round, so a run's rounds are the same
 * whatever order its client workers finish in.
 */
import { createRng, derive } from '../../core/rng';

/** Clients per round under fixed-size sampling: max(1, round(C K)) (McMahan et al.: max(C K, 1)). */
export const clientsPerRound = (clients: number, fraction: number): number => Math.max(1, Math.round(fraction * clients));

/**
 * The clients of round `round`, ascending. Fixed-size: clientsPerRound of them uniformly without
 * replacement (McMahan et al. 2017). Poisson: each client independently with probability `fraction`,
 * the sampling DP-FedAvg's privacy analysis assumes (so a round may have more, fewer or no clients).
 */
export function sampleClients(clients: number, fraction: number, round: number, seed: number, poisson: boolean): number[] {
  const rng = createRng(derive(seed, 'sample', round));
  if (poisson) return Array.from({ length: clients }, (_, k) => k).filter(() => rng.next() < fraction);
  const ids = Array.from({ length: clients }, (_, k) => k);
  const m = clientsPerRound(clients, fraction);
  // Partial Fisher-Yates: the first m places are a uniform sample.
  for (let i = 0; i < m; i++) {
    const j = i + rng.int(clients - i);
    [ids[i], ids[j]] = [ids[j], ids[i]];
  }
  return ids.slice(0, m).sort((a, b) => a - b);
}

/** How each sampled client's round goes: `full` work, `dropped` (fails, sends nothing), or partial work. */
export type Fate = { kind: 'full' } | { kind: 'dropped' } | { kind: 'partial'; share: number };

/**
 * Fates of the sampled clients (same order): round(dropout m) of them drop out, and round(stragglers m)
 * of the rest are stragglers that finish only a share of their local steps, uniform in (0, 1) (the systems
 * heterogeneity of FedProx's experiments, Li et al. 2020, arXiv:1812.06127, where stragglers do fewer
 * local epochs). The shares are at least one step, which the client enforces.
 */
export function roundFates(sampled: number, dropout: number, stragglers: number, round: number, seed: number): Fate[] {
  const rng = createRng(derive(seed, 'fates', round));
  const order = rng.shuffle(Array.from({ length: sampled }, (_, i) => i));
  const dropped = Math.round(dropout * sampled);
  const slow = Math.min(sampled - dropped, Math.round(stragglers * sampled));
  const fates: Fate[] = Array.from({ length: sampled }, () => ({ kind: 'full' }));
  order.forEach((i, rank) => {
    if (rank < dropped) fates[i] = { kind: 'dropped' };
    else if (rank < dropped + slow) fates[i] = { kind: 'partial', share: rng.next() };
  });
  return fates;
}
