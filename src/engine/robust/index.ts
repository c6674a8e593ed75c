/**
 * The attack registry: one entry per attack name of core/robust/catalog.ts, each turning a spec's attack
 * settings into a running attack. A new attack is one file here, one line below and one in the catalog
 * (with its norms); the contract suite (test/unit/robust-contract.test.ts) then covers it.
 */
import type * as tf from '@tensorflow/tfjs';
import type { AttackName, AttackSpec, Norm } from '../../core/spec/robust-types';
import { apgd } from './apgd';
import { fgsm } from './fgsm';
import { pgd } from './pgd';
import { square } from './square';
import type { Attack, Logits } from './types';

export { apgd, type ApgdConfig } from './apgd';
export { fastAtExample, fgsm } from './fgsm';
export { pgd, pgdLastIterate, type PgdConfig } from './pgd';
export { square, squareShare, type SquareConfig } from './square';
export { tradesAdversary, tradesLoss, type TradesConfig } from './trades';
export { crossEntropy, dlr, margin, lossAndGrad, misclassified } from './losses';
export { runAsync, runSync, type Attack, type Logits } from './types';

/** What every attack is given: the classifier, a batch in [0, 1] and its int32 labels, the ball, a seed. */
export interface AttackTarget {
  f: Logits;
  x: tf.Tensor;
  y: tf.Tensor;
  eps: number;
  norm: Norm;
  seed: number;
}

type Settings<K extends AttackName> = Extract<AttackSpec, { attack: K }>;

export const ATTACKS: { [K in AttackName]: (t: AttackTarget, s: Settings<K>) => Attack } = {
  fgsm: (t) => pgd(t.f, t.x, t.y, fgsm(t.eps), t.seed),
  pgd: (t, s) => pgd(t.f, t.x, t.y, { eps: t.eps, alpha: s.stepSize * t.eps, steps: s.steps, restarts: s.restarts, norm: t.norm, randomStart: s.randomStart }, t.seed),
  'apgd-ce': (t, s) => apgd(t.f, t.x, t.y, { eps: t.eps, norm: t.norm, steps: s.steps, restarts: s.restarts, loss: 'ce' }, t.seed),
  'apgd-dlr': (t, s) => apgd(t.f, t.x, t.y, { eps: t.eps, norm: t.norm, steps: s.steps, restarts: s.restarts, loss: 'dlr' }, t.seed),
  square: (t, s) => square(t.f, t.x, t.y, { eps: t.eps, queries: s.queries, pInit: s.pInit }, t.seed),
};

/** Starts the attack a spec entry names. */
export const startAttack = (t: AttackTarget, s: AttackSpec): Attack => (ATTACKS[s.attack] as (t: AttackTarget, s: AttackSpec) => Attack)(t, s);

/** An attack's settings in words: `pgd 40 steps x 1 (step 0.0625 eps)`, `square 5000 queries`. */
export function describeAttack(s: AttackSpec): string {
  switch (s.attack) {
    case 'fgsm': return 'fgsm';
    case 'pgd': return `pgd ${s.steps} steps x ${s.restarts} (step ${Number(s.stepSize.toPrecision(3))} eps${s.randomStart ? ', random start' : ''})`;
    case 'apgd-ce':
    case 'apgd-dlr': return `${s.attack} ${s.steps} steps x ${s.restarts}`;
    case 'square': return `square ${s.queries} queries (p ${s.pInit})`;
  }
}
