import * as tf from '@tensorflow/tfjs';

/**
 * A classifier seen from the attack space: inputs [N, ...shape] in [0, 1] (core/robust/space.ts), logits
 * [N, classes]. Built from a model in inference mode (classifier.ts); attacks only ever call it.
 */
export type Logits = (x: tf.Tensor) => tf.Tensor;

/**
 * An attack in progress. It yields after every step or query (a safe point: the worker's heartbeat and
 * stop requests run there) and returns the adversarial inputs, [N, ...shape], which the caller disposes.
 */
export type Attack = Generator<void, tf.Tensor, void>;

/** Runs an attack to its end at once (inside a training step, where nothing may wait). */
export function runSync(a: Attack): tf.Tensor {
  for (;;) {
    const r = a.next();
    if (r.done) return r.value;
  }
}

/** Runs an attack, awaiting `tick` at every safe point (default: one turn of the event loop). */
export async function runAsync(a: Attack, tick: () => Promise<void> = () => new Promise((r) => setImmediate(r))): Promise<tf.Tensor> {
  try {
    for (;;) {
      const r = a.next();
      if (r.done) return r.value;
      await tick();
    }
  } finally {
    // A tick that throws (a stop request) ends the generator, which runs its own `finally` and frees its tensors.
    a.return(undefined as never);
  }
}
