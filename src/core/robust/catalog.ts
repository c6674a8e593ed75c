/**
 * What each attack is, without TF.js: which norms it supports, whether it needs gradients, what data it
 * needs. Spec validation reads this table; the engine's registry (engine/robust/index.ts) is typed by the
 * same names, so an attack listed here without an implementation does not compile.
 */
import type { AttackName, Norm } from '../spec/robust-types';

export interface AttackInfo {
  /** `white`: follows the model's gradients; `black`: only queries its outputs (a gradient-masking check). */
  box: 'white' | 'black';
  norms: readonly Norm[];
  /** The fewest classes the attack's loss is defined for (DLR needs a third-largest logit). */
  minClasses: number;
  /** True when it needs image-shaped inputs (height, width, channels). */
  images: boolean;
}

export const ATTACK_INFO: Readonly<Record<AttackName, AttackInfo>> = {
  fgsm: { box: 'white', norms: ['linf'], minClasses: 2, images: false },
  pgd: { box: 'white', norms: ['linf', 'l2'], minClasses: 2, images: false },
  'apgd-ce': { box: 'white', norms: ['linf', 'l2'], minClasses: 2, images: false },
  'apgd-dlr': { box: 'white', norms: ['linf', 'l2'], minClasses: 3, images: false },
  square: { box: 'black', norms: ['linf'], minClasses: 2, images: true },
};

export const ATTACK_NAMES = Object.keys(ATTACK_INFO) as AttackName[];
