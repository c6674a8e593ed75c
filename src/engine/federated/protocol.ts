/**
 * What the coordinator and its client workers say to each other over IPC. Node's `advanced`
 * serialization (structured clone) carries typed arrays as binary: weights, data and updates never
 * pass through JSON.
 */
import type { BackendChoice, ModelSpec } from '../../core/spec/types';
import type { AttackSpec, CompressionSpec } from '../../core/spec/federated-types';
import type { BackendReport } from '../../core/store/types';
import type { Payload } from './compression';
import type { LocalConfig } from './local-train';

/** The command-line flag that makes `worker.js` a client worker (`worker.js --fed-client <runDir>`). */
export const FED_CLIENT_FLAG = '--fed-client';

/**
 * Set in a federated coordinator's environment by `hone run --queue`: the queue URL its clients train on
 * (queue-runner.ts). An environment variable, so the password stays out of run.json and the process list.
 */
export const FED_QUEUE_ENV = 'HONE_FED_QUEUE';

/** Everything a client needs once: the model to build, the data's shape, its backend and threads. */
export interface ClientInit {
  model: ModelSpec;
  /** The spec's `train.dropout` (hidden-layer dropout of mlp/cnn models). */
  dropout: number;
  inputShape: number[];
  /** 0 for regression. */
  classes: number;
  seed: number;
  backend: BackendChoice;
  kernels: string[];
  threads: number;
}

/** One client's round: the global weights, its data, how to train, and what it is. */
export interface ClientTask {
  round: number;
  client: number;
  /** The global model, flat (flat.ts). */
  weights: Float32Array;
  x: Float32Array;
  y: Float32Array;
  n: number;
  local: LocalConfig;
  /** Set for a Byzantine client. */
  attack?: AttackSpec;
  compression?: CompressionSpec;
  /** The client's error-feedback memory (kept by the coordinator between its rounds). */
  residual?: Float32Array;
}

export interface ClientResult {
  round: number;
  client: number;
  n: number;
  steps: number;
  /** Mean local training loss and accuracy over the steps taken. */
  loss: number;
  accuracy: number;
  /** The global model's accuracy and loss on this client's data, before it trained. */
  globalAccuracy: number;
  globalLoss: number;
  payload: Payload;
  residual?: Float32Array;
  ms: number;
}

export type ToClient =
  | { type: 'init'; init: ClientInit }
  | { type: 'task'; task: ClientTask }
  | { type: 'exit' };

export type FromClient =
  | { type: 'ready'; backend: BackendReport }
  | { type: 'result'; result: ClientResult }
  | { type: 'error'; message: string }
  | { type: 'log'; text: string };
