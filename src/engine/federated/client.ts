import * as tf from '@tensorflow/tfjs';
import { createRng, derive } from '../../core/rng';
import type { Dataset } from '../data/types';
import { buildModel } from '../models';
import { evaluate } from '../train/evaluate';
import { craftUpdate, flipLabels } from './attacks';
import { compress } from './compression';
import { getFlat, layoutOf, setFlat } from './flat';
import { localTrain } from './local-train';
import type { ClientInit, ClientResult, ClientTask } from './protocol';

/** A simulated client's machinery: one model, reused for every client task it runs. */
export interface ClientModel {
  model: tf.LayersModel;
  init: ClientInit;
  sizes: number[];
}

/** Builds the model of `init` (on the current backend); its weights are set by each task. */
export function createClientModel(init: ClientInit): ClientModel {
  const task = init.classes > 0 ? 'classification' : 'regression';
  const model = buildModel(init.model, { inputShape: init.inputShape, task, classes: init.classes }, init.seed, init.dropout);
  return { model, init, sizes: layoutOf(model).sizes };
}

/**
 * One client's round: take the global weights, score them on the client's data, train locally (on
 * flipped labels for a label-flipping client), and return the update w_local - w_global as the client
 * would upload it (crafted by a Byzantine client, then compressed). Leaves no tensor behind.
 */
export async function runClientTask(c: ClientModel, t: ClientTask): Promise<ClientResult> {
  const started = Date.now();
  const { model, init } = c;
  setFlat(model, t.weights);
  const classes = init.classes;
  const shape = [t.n, ...init.inputShape];
  const x = tf.tensor(t.x, shape);
  const yTrue = tf.tensor1d(t.y);
  const yTrain = t.attack?.type === 'labelFlip' && classes > 0 ? tf.tensor1d(flipLabels(t.y, classes)) : yTrue;
  try {
    const scoring = { task: classes > 0 ? 'classification' : 'regression', classes } as Dataset;
    const before = await evaluate(model, { x, y: yTrue, n: t.n }, scoring, '');
    const local = await localTrain(model, { x, y: yTrain, n: t.n }, classes, t.local);
    const delta = getFlat(model);
    for (let i = 0; i < delta.length; i++) delta[i] -= t.weights[i];
    if (t.attack) craftUpdate(delta, t.attack);
    const rng = createRng(derive(t.local.seed, 'compress'));
    const { payload, residual } = compress(delta, t.compression, c.sizes, rng, t.residual);
    return {
      round: t.round, client: t.client, n: t.n, steps: local.steps, loss: local.loss, accuracy: local.accuracy,
      globalAccuracy: before.accuracy ?? NaN, globalLoss: before.loss, payload, ...(residual ? { residual } : {}), ms: Date.now() - started,
    };
  } finally {
    tf.dispose(yTrain === yTrue ? [x, yTrue] : [x, yTrue, yTrain]);
  }
}
