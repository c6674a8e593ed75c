/**
 * The spec's `federated` section (schema/hone.schema.json has the fields, defaults and docs): a run
 * that trains the spec's model by simulated federated learning instead of centrally. `train` then
 * describes each client's local optimiser (optimizer, lr, momentum, l1/l2, clipNorm, dropout).
 */
import type { PartitionSpec } from '../federated/partition';

export type FederatedAlgorithm = 'fedsgd' | 'fedavg' | 'fedprox' | 'fedavgm' | 'fedadam' | 'fedyogi' | 'fedadagrad';

export type AggregationSpec =
  | { rule: 'mean' }
  | { rule: 'median' }
  | { rule: 'trimmedMean'; trim: number }
  | { rule: 'krum'; byzantine: number }
  /** `select` 0 means n - byzantine. */
  | { rule: 'multiKrum'; byzantine: number; select: number };

export type AttackSpec =
  | { type: 'signFlip'; fraction: number; scale: number }
  | { type: 'scale'; fraction: number; scale: number }
  | { type: 'labelFlip'; fraction: number };

export type CompressionSpec =
  | { type: 'topk'; ratio: number; errorFeedback: boolean }
  | { type: 'q8'; errorFeedback: boolean };

/** DP-FedAvg: clip norm S, noise multiplier z, and the delta epsilon is reported at. */
export interface PrivacySpec {
  clip: number;
  noise: number;
  delta: number;
}

export interface FederatedSpec {
  algorithm: FederatedAlgorithm;
  rounds: number;
  clients: number;
  /** C: the share of clients sampled each round. */
  fraction: number;
  /** E: local epochs per round (fedsgd: 1). */
  localEpochs: number;
  /** B: local batch size; 0 = the client's whole data (fedsgd: 0). */
  batchSize: number;
  partition: PartitionSpec;
  /** FedProx's proximal coefficient. */
  mu: number;
  /** Server learning rate eta; its default depends on the algorithm (defaults-federated.ts). */
  serverLr: number;
  serverMomentum: number;
  beta1: number;
  beta2: number;
  tau: number;
  aggregation: AggregationSpec;
  attack?: AttackSpec;
  privacy?: PrivacySpec;
  compression?: CompressionSpec;
  /** Share of each round's sampled clients that fail and send nothing. */
  dropout: number;
  /** Share of each round's sampled clients that send partial work. */
  stragglers: number;
  /** Client worker processes; 0 = one per core the run may use, at most the clients per round. */
  workers: number;
  /** Seconds a round waits for its clients; those later count as dropped. 0 = no deadline. */
  deadline: number;
  /** The model scored and saved is the mean of the last this many rounds' global models (1: the latest). */
  averageRounds: number;
}
