/**
 * FGSM is one PGD step: a variant is a config, not another attack. `fgsm` is Goodfellow et al. 2015
 * (arXiv:1412.6572): a step of eps from x along the gradient's sign. `fgsmRandomStart` is the step Fast
 * adversarial training takes (Wong et al. 2020, arXiv:2001.03994): from a uniform random start in the
 * ball, a step of alpha (1.25 eps in the paper), projected back.
 */
import type { PgdConfig } from './pgd';

export const fgsm = (eps: number): PgdConfig => ({ eps, alpha: eps, steps: 1, restarts: 1, norm: 'linf', randomStart: false });

export const fgsmRandomStart = (eps: number, alpha = 1.25 * eps): PgdConfig => ({ eps, alpha, steps: 1, restarts: 1, norm: 'linf', randomStart: true });
