/**
 * How a federation's training samples are dealt to its simulated clients. Pure and seeded: the same
 * labels, spec and seed give the same clients on every machine. Every sample goes to exactly one client.
 */
import { createRng, derive, type Rng } from '../rng';
import { dirichlet } from './dirichlet';

export type PartitionSpec =
  /** Shuffled, cut into equal parts; with `sizeSigma` > 0 client sizes are log-normal (LEAF-style unequal clients). */
  | { type: 'iid'; sizeSigma: number }
  /**
   * Label skew: every class's samples are split over the clients by proportions drawn from Dir(alpha)
   * (Yurochkin et al. 2019, arXiv:1905.12022; Li et al.'s NIID-Bench, arXiv:2102.02079). Small alpha:
   * each class lives on few clients; large alpha: close to IID. Client sizes vary.
   */
  | { type: 'dirichlet'; alpha: number }
  /**
   * McMahan et al.'s pathological non-IID split (arXiv:1602.05629, section 3): samples sorted by label, cut
   * into clients x shardsPerClient equal shards, each client dealt `shardsPerClient` of them.
   */
  | { type: 'shards'; shardsPerClient: number };

/** A client's samples: indices into the training part, ascending. */
export type Partition = Uint32Array[];

/** Draws of Dirichlet proportions tried before giving up on giving every client a sample. */
const DIRICHLET_TRIES = 100;

/**
 * Deals `n` samples to `clients` clients. `labels` (class indices, one per sample) are needed by the
 * label-based partitions; `classes` is their count. Throws, saying why, when the split is impossible:
 * more clients than samples, shards that do not divide the samples, an alpha that leaves clients empty.
 */
export function partition(n: number, clients: number, spec: PartitionSpec, seed: number, labels?: ArrayLike<number>, classes = 0): Partition {
  if (!Number.isInteger(clients) || clients < 1) throw new Error(`partition: clients must be a positive integer, got ${clients}`);
  if (clients > n) throw new Error(`partition: ${clients} clients but only ${n} training samples (each client needs one)`);
  const rng = createRng(derive(seed, 'partition', spec.type));
  if (spec.type === 'iid') return iid(n, clients, spec.sizeSigma, rng);
  if (!labels || classes < 1) throw new Error(`partition: '${spec.type}' deals by label and needs a classification task`);
  if (spec.type === 'dirichlet') return byDirichlet(labels, classes, clients, spec.alpha, seed);
  return shards(labels, clients, spec.shardsPerClient, rng);
}

/**
 * Splits `total` into `weights.length` integers >= `min` proportional to the weights (largest
 * remainder); the parts sum to `total`.
 */
export function apportion(total: number, weights: ArrayLike<number>, min = 0): number[] {
  const k = weights.length;
  const free = total - min * k;
  if (free < 0) throw new Error(`apportion: ${total} cannot give ${k} parts at least ${min} each`);
  let sum = 0;
  for (let i = 0; i < k; i++) sum += weights[i];
  const exact = Array.from({ length: k }, (_, i) => (sum > 0 ? (free * weights[i]) / sum : free / k));
  const parts = exact.map(Math.floor);
  let left = free - parts.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => [e - Math.floor(e), i]).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let j = 0; left > 0; j = (j + 1) % k, left--) parts[order[j][1]]++;
  return parts.map((p) => p + min);
}

const sorted = (idx: number[]): Uint32Array => Uint32Array.from(idx).sort();

function iid(n: number, clients: number, sizeSigma: number, rng: Rng): Partition {
  const order = rng.shuffle(Uint32Array.from({ length: n }, (_, i) => i));
  const weights = Array.from({ length: clients }, () => (sizeSigma > 0 ? Math.exp(sizeSigma * rng.normal()) : 1));
  const sizes = apportion(n, weights, 1);
  let at = 0;
  return sizes.map((s) => order.slice(at, (at += s)).sort());
}

/** Indices of each class, in sample order. */
function byClass(labels: ArrayLike<number>, classes: number): number[][] {
  const out: number[][] = Array.from({ length: classes }, () => []);
  for (let i = 0; i < labels.length; i++) out[labels[i]].push(i);
  return out;
}

function byDirichlet(labels: ArrayLike<number>, classes: number, clients: number, alpha: number, seed: number): Partition {
  const members = byClass(labels, classes);
  for (let attempt = 0; attempt < DIRICHLET_TRIES; attempt++) {
    const rng = createRng(derive(seed, 'partition', 'dirichlet', attempt));
    const buckets: number[][] = Array.from({ length: clients }, () => []);
    for (const idx of members) {
      if (!idx.length) continue;
      rng.shuffle(idx);
      const sizes = apportion(idx.length, dirichlet(clients, alpha, rng));
      let at = 0;
      sizes.forEach((s, k) => buckets[k].push(...idx.slice(at, (at += s))));
    }
    if (buckets.every((b) => b.length > 0)) return buckets.map(sorted);
  }
  throw new Error(`partition: Dirichlet alpha ${alpha} left some of the ${clients} clients without samples in ${DIRICHLET_TRIES} draws: raise alpha or use fewer clients`);
}

function shards(labels: ArrayLike<number>, clients: number, perClient: number, rng: Rng): Partition {
  const n = labels.length;
  const count = clients * perClient;
  if (n % count !== 0) throw new Error(`partition: ${n} samples do not divide into ${count} shards (clients x shardsPerClient)`);
  const size = n / count;
  // Stable sort by label: each shard is a run of `size` consecutive samples of one label (or two, at a boundary).
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => labels[a] - labels[b] || a - b);
  const shardLabel = Array.from({ length: count }, (_, s) => majority(order.slice(s * size, (s + 1) * size).map((i) => labels[i])));
  const deal = rng.shuffle(Array.from({ length: count }, (_, s) => s));
  const hands = Array.from({ length: clients }, (_, k) => deal.slice(k * perClient, (k + 1) * perClient));
  separateLabels(hands, shardLabel, rng);
  return hands.map((hand) => sorted(hand.flatMap((s) => order.slice(s * size, (s + 1) * size))));
}

function majority(values: number[]): number {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0][0];
}

/**
 * McMahan et al. deal the shards at random, so about one client in ten gets two shards of one digit.
 * This repairs such hands by swapping a duplicate shard with another client's shard whenever the swap
 * leaves both hands without a repeated label, so that each client holds `shardsPerClient` labels when
 * the data allow it (the labels each client ends up with are in the partition summary).
 */
function separateLabels(hands: number[][], label: number[], rng: Rng): void {
  const clash = (hand: number[], i: number, s: number) => hand.some((t, j) => j !== i && label[t] === label[s]);
  for (let k = 0; k < hands.length; k++) {
    for (let i = 0; i < hands[k].length; i++) {
      if (!clash(hands[k], i, hands[k][i])) continue;
      const start = rng.int(hands.length);
      // Every other hand, from the one after `start` round to `start` itself.
      search: for (let step = 1; step <= hands.length; step++) {
        const m = (start + step) % hands.length;
        if (m === k) continue;
        for (let j = 0; j < hands[m].length; j++) {
          const [mine, theirs] = [hands[k][i], hands[m][j]];
          if (clash(hands[k], i, theirs) || clash(hands[m], j, mine)) continue;
          hands[k][i] = theirs;
          hands[m][j] = mine;
          break search;
        }
      }
    }
  }
}

/** What each client holds, saved as `partition.json` in the run folder (see `PartitionSummary`). */
export function summarize(p: Partition, spec: PartitionSpec, labels?: ArrayLike<number>, classes = 0): Pick<PartitionSummary, 'sizes' | 'labels' | 'samples' | 'partition'> {
  const sizes = p.map((c) => c.length);
  const hist = labels && classes > 0
    ? p.map((c) => {
        const h = new Array<number>(classes).fill(0);
        for (const i of c) h[labels[i]]++;
        return h;
      })
    : undefined;
  return { partition: spec, samples: sizes.reduce((a, b) => a + b, 0), sizes, ...(hist ? { labels: hist } : {}) };
}

/**
 * `runs/<id>/partition.json` of a federated run: how the training samples were dealt, written once
 * before the first round. `sizes[k]` is client k's sample count; `labels[k][c]` how many samples of
 * class c it holds (classification only); `byzantine` the clients a simulated attack controls.
 */
export interface PartitionSummary {
  version: 1;
  partition: PartitionSpec;
  seed: number;
  clients: number;
  /** Training samples dealt (the training split's size). */
  samples: number;
  /** 0 for regression. */
  classes: number;
  sizes: number[];
  labels?: number[][];
  byzantine: number[];
}

/** The file name of the summary in a run folder. */
export const PARTITION_FILE = 'partition.json';
