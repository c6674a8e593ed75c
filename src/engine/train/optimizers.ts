import * as tf from '@tensorflow/tfjs';
import type { OptimizerName } from '../../core/spec/types';
import { ADAM_UPDATE, type AdamScalars } from '../kernels';

/**
 * Hone's own optimizers, with PyTorch's update rules. They are written here rather than taken from
 * tf.train so that (1) AdamW is true decoupled weight decay, (2) the learning rate is an argument of
 * each step (schedules need no mutation), and (3) all state is allocated up front, which keeps the
 * tensor count flat from the first epoch on.
 */
export interface Optimizer {
  /** One update of `vars` from `grads` (same order) at learning rate `lr`. */
  step(grads: tf.Tensor[], lr: number): void;
  /** The state the next steps depend on (live variables: read them, do not dispose them). */
  state(): OptimizerState;
  /** Continues from a `state()` of an optimizer with the same config and variables (values are copied). */
  restore(s: OptimizerState): void;
  dispose(): void;
}

/**
 * An optimizer's state: its slots (velocity; Adam's first then second moments; the squared-gradient
 * accumulators), one per variable and group, and `t`, the steps Adam's bias correction has counted (0 for the others).
 */
export interface OptimizerState {
  t: number;
  slots: tf.Tensor[];
}

export interface OptimizerConfig {
  name: OptimizerName;
  momentum: number;
  weightDecay: number;
  /** Which of the variables decoupled weight decay applies to (AdamW only). */
  decayed: boolean[];
}

// In a tidy, so the zeros the variable was made from are freed (the variable keeps its own reference).
const zerosLike = (vars: tf.Variable[]) => vars.map((v) => tf.tidy(() => tf.variable(tf.zerosLike(v), false)));
const assignEach = (vars: tf.Variable[], values: tf.Tensor[]) => vars.forEach((v, i) => v.assign(values[i]));

/** `state`/`restore` for an optimizer whose only state is `slots` (and `t`, through the getter and setter). */
function stateOf(slots: tf.Variable[], t: { get(): number; set(v: number): void } = { get: () => 0, set: () => undefined }) {
  return {
    state: (): OptimizerState => ({ t: t.get(), slots }),
    restore(s: OptimizerState): void {
      if (s.slots.length !== slots.length || s.slots.some((x, i) => !tf.util.arraysEqual(x.shape, slots[i].shape))) {
        throw new Error(`optimizer state does not fit: ${s.slots.length} slots for ${slots.length}, or their shapes differ`);
      }
      assignEach(slots, s.slots);
      t.set(s.t);
    },
  };
}

/** SGD with optional heavy-ball or Nesterov momentum: v = m v + g; w -= lr (g + m v) for Nesterov. */
function sgd(vars: tf.Variable[], momentum: number, nesterov: boolean): Optimizer {
  const velocity = momentum > 0 ? zerosLike(vars) : [];
  return {
    step: (grads, lr) =>
      tf.tidy(() => {
        if (!velocity.length) return assignEach(vars, vars.map((w, i) => w.sub(grads[i].mul(lr))));
        const v = velocity.map((b, i) => b.mul(momentum).add(grads[i]));
        assignEach(velocity, v);
        const dir = nesterov ? grads.map((g, i) => g.add(v[i].mul(momentum))) : v;
        assignEach(vars, vars.map((w, i) => w.sub(dir[i].mul(lr))));
      }),
    ...stateOf(velocity),
    dispose: () => velocity.forEach((t) => t.dispose()),
  };
}

/** Adam (Kingma & Ba 2015, arXiv:1412.6980); with `decay`, AdamW (arXiv:1711.05101): w -= lr wd w first. */
function adam(vars: tf.Variable[], weightDecay: number, decayed: boolean[], b1 = 0.9, b2 = 0.999, eps = 1e-8): Optimizer {
  const m = zerosLike(vars);
  const s = zerosLike(vars);
  let t = 0;
  return {
    step: (grads, lr) =>
      tf.tidy(() => {
        t += 1;
        const c1 = 1 - b1 ** t;
        const c2 = 1 - b2 ** t;
        if (tf.getKernel(ADAM_UPDATE, tf.getBackend())) {
          // One fused pass per variable (kernels/adam-update.ts), equal bit for bit to the ops below.
          return vars.forEach((w, i) => {
            const keep = weightDecay > 0 && decayed[i] ? 1 - lr * weightDecay : 1;
            const scalars: AdamScalars = { b1, b2, eps, lr, c1, c2, keep };
            const [wNew, mNew, sNew] = tf.engine().runKernel(ADAM_UPDATE, { w, g: grads[i], m: m[i], s: s[i] }, scalars) as tf.Tensor[];
            assignEach([w, m[i], s[i]], [wNew, mNew, sNew]);
          });
        }
        const mNew = m.map((mi, i) => mi.mul(b1).add(grads[i].mul(1 - b1)));
        const sNew = s.map((si, i) => si.mul(b2).add(grads[i].square().mul(1 - b2)));
        assignEach(m, mNew);
        assignEach(s, sNew);
        const updated = vars.map((w, i) => {
          const base = weightDecay > 0 && decayed[i] ? w.mul(1 - lr * weightDecay) : w;
          return base.sub(mNew[i].div(c1).div(sNew[i].div(c2).sqrt().add(eps)).mul(lr));
        });
        assignEach(vars, updated);
      }),
    ...stateOf([...m, ...s], { get: () => t, set: (v) => (t = v) }),
    dispose: () => [...m, ...s].forEach((x) => x.dispose()),
  };
}

/** Adagrad (Duchi et al. 2011) and RMSProp (Tieleman & Hinton 2012): w -= lr g / (sqrt(acc) + eps). */
function adaptive(vars: tf.Variable[], rho: number | undefined, eps: number): Optimizer {
  const acc = zerosLike(vars);
  return {
    step: (grads, lr) =>
      tf.tidy(() => {
        const a = acc.map((ai, i) => (rho === undefined ? ai.add(grads[i].square()) : ai.mul(rho).add(grads[i].square().mul(1 - rho))));
        assignEach(acc, a);
        assignEach(vars, vars.map((w, i) => w.sub(grads[i].div(a[i].sqrt().add(eps)).mul(lr))));
      }),
    ...stateOf(acc),
    dispose: () => acc.forEach((x) => x.dispose()),
  };
}

export function createOptimizer(vars: tf.Variable[], c: OptimizerConfig): Optimizer {
  switch (c.name) {
    case 'sgd': return sgd(vars, 0, false);
    case 'momentum': return sgd(vars, c.momentum, false);
    case 'nesterov': return sgd(vars, c.momentum, true);
    case 'adam': return adam(vars, 0, c.decayed);
    case 'adamw': return adam(vars, c.weightDecay, c.decayed);
    case 'adagrad': return adaptive(vars, undefined, 1e-10);
    case 'rmsprop': return adaptive(vars, 0.99, 1e-8);
  }
}
