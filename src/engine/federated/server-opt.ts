/**
 * Server optimizers: how the global model moves by the round's aggregated update `delta` (the mean of
 * x_k - x, a pseudo-gradient with its sign flipped). One file for the family because they share their
 * shape and state; each rule is a few lines.
 *
 * - `sgd`: x += eta * delta. With eta = 1 this is FedAvg (McMahan et al. 2017, arXiv:1602.05629).
 * - `avgm`: FedAvgM (Hsu, Qi & Brown 2019, arXiv:1909.06335): v = beta v + delta; x += eta v.
 * - `adagrad`, `adam`, `yogi`: FedAdagrad, FedAdam, FedYogi (Reddi et al. 2021, "Adaptive Federated
 *   Optimization", arXiv:2003.00295, Algorithm 2): m = beta1 m + (1 - beta1) delta; v by the rule below;
 *   x += eta m / (sqrt(v) + tau), with v starting at tau^2 and no bias correction, as in the paper.
 *     adagrad: v += delta^2
 *     adam:    v = beta2 v + (1 - beta2) delta^2
 *     yogi:    v -= (1 - beta2) delta^2 sign(v - delta^2)
 */
export type ServerRule = 'sgd' | 'avgm' | 'adagrad' | 'adam' | 'yogi';

export interface ServerOptConfig {
  rule: ServerRule;
  /** eta, the server learning rate. */
  lr: number;
  /** FedAvgM's server momentum beta. */
  momentum: number;
  beta1: number;
  beta2: number;
  /** The adaptive rules' degree of adaptivity (their epsilon). */
  tau: number;
}

/** The state the next rounds depend on: FedAvgM's velocity, or the adaptive rules' m and v. */
export interface ServerOptState {
  m?: Float32Array;
  v?: Float32Array;
}

/** Moves `x` in place by `delta` under rule `c`, updating `s` in place. */
export function serverStep(x: Float32Array, delta: Float32Array, c: ServerOptConfig, s: ServerOptState): void {
  if (x.length !== delta.length) throw new Error(`serverStep: ${x.length} weights but an update of ${delta.length}`);
  const d = x.length;
  if (c.rule === 'sgd') {
    for (let i = 0; i < d; i++) x[i] += c.lr * delta[i];
    return;
  }
  if (c.rule === 'avgm') {
    const v = (s.m ??= new Float32Array(d));
    for (let i = 0; i < d; i++) {
      v[i] = c.momentum * v[i] + delta[i];
      x[i] += c.lr * v[i];
    }
    return;
  }
  const m = (s.m ??= new Float32Array(d));
  const v = (s.v ??= new Float32Array(d).fill(c.tau * c.tau));
  for (let i = 0; i < d; i++) {
    const g = delta[i];
    const g2 = g * g;
    m[i] = c.beta1 * m[i] + (1 - c.beta1) * g;
    if (c.rule === 'adagrad') v[i] += g2;
    else if (c.rule === 'adam') v[i] = c.beta2 * v[i] + (1 - c.beta2) * g2;
    else v[i] -= (1 - c.beta2) * g2 * Math.sign(v[i] - g2);
    x[i] += (c.lr * m[i]) / (Math.sqrt(v[i]) + c.tau);
  }
}
