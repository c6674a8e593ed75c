import { partition, summarize, type Partition, type PartitionSummary } from '../../core/federated/partition';
import { RdpAccountant } from '../../core/federated/accountant';
import type { Spec } from '../../core/spec/types';
import type { FederatedSpec } from '../../core/spec/federated-types';
import type { Dataset } from '../data/types';
import { byzantineClients } from './attacks';
import { freshState, type Federation, type FederationState } from './round';
import type { ClientRunner } from './runner';
import { clientsPerRound } from './sampling';

/** The clients' data and who is Byzantine, and the summary saved as partition.json. */
export function dealClients(f: FederatedSpec, data: Dataset, seed: number): { clients: Partition; byzantine: number[]; summary: PartitionSummary } {
  const labels = data.task === 'classification' ? data.train.y : undefined;
  const clients = partition(data.train.n, f.clients, f.partition, seed, labels, data.classes);
  const byzantine = f.attack ? byzantineClients(f.clients, f.attack.fraction, seed) : [];
  const summary: PartitionSummary = {
    version: 1, seed, clients: f.clients, classes: data.classes, byzantine, ...summarize(clients, f.partition, labels, data.classes),
  };
  return { clients, byzantine, summary };
}

/**
 * A federation ready for its first round, from a validated spec (with a `federated` section) and its data;
 * `dealt` is its clients' data when already dealt (the coordinator deals before it starts any worker).
 */
export function createFederation(spec: Spec, data: Dataset, sizes: number[], initial: Float32Array, runner: ClientRunner, dealt = dealClients(spec.federated!, data, spec.seed)) {
  const f = spec.federated!;
  const fed: Federation = { f, train: spec.train, seed: spec.seed, data, clients: dealt.clients, byzantine: new Set(dealt.byzantine), sizes, runner };
  const state: FederationState = freshState(Float32Array.from(initial), f, f.privacy ? new RdpAccountant() : undefined);
  return { fed, state, summary: dealt.summary };
}

/**
 * How many client workers and threads each: `workers` when set, else one per core this run may use
 * (`cores`: the spec's `threads`, HONE_THREADS or its fair share, all counts for the whole run), never
 * more than the clients of a round; the cores are split among them.
 */
export function planWorkers(f: FederatedSpec, cores: number): { workers: number; threads: number } {
  const perRound = f.privacy ? Math.max(1, Math.ceil(f.fraction * f.clients)) : clientsPerRound(f.clients, f.fraction);
  const workers = f.workers > 0 ? f.workers : Math.max(1, Math.min(cores, perRound));
  return { workers, threads: Math.max(1, Math.floor(cores / workers)) };
}
