/**
 * Red flags: signs that a robust accuracy may be an overestimate (Athalye et al. 2018, arXiv:1802.00420;
 * Carlini et al. 2019, arXiv:1902.06705). Pure rules over the numbers an evaluation measured.
 */
import type { Diagnostics, EpsResult, RedFlag } from './report';

const pct = (a: number, b: number) => `${b ? ((100 * a) / b).toFixed(1) : '0'}%`;

/**
 * Thresholds, stated once. AutoAttack's checks (fra31/auto-attack, checks.py) flag any zero gradient and a
 * Square Attack that lowers robust accuracy by more than 0.2 percentage points; Hone does the same.
 */
export const FLAG_RULES = {
  /** Share of the evaluated points the black-box attack may break after the gradient attacks. */
  blackBox: 0.002,
  /** Share of the checked points with a vanishing cross-entropy gradient that is flagged. */
  vanishingGradient: 0.5,
  /** Robust share of correctly classified points allowed at the whole-box eps. */
  largeEps: 0.01,
} as const;

/** The red flags of an evaluation of `points` points, from its per-eps results and diagnostics. */
export function redFlags(perEps: EpsResult[], points: number, diag?: Diagnostics): RedFlag[] {
  const flags: RedFlag[] = [];
  for (const r of perEps) {
    const invalid = r.attacks.reduce((s, a) => s + a.invalid, 0);
    if (invalid) flags.push({ id: 'invalid-examples', message: `eps ${r.eps}: ${invalid} adversarial example(s) outside the eps ball or [0, 1] were discarded (an attack bug: they were not scored)` });
    // A black-box attack that breaks points after gradient attacks ran: they failed where no gradient was needed.
    const black = r.attacks.filter((a, i) => a.box === 'black' && a.broke > FLAG_RULES.blackBox * points && r.attacks.slice(0, i).some((w) => w.box === 'white'));
    for (const a of black) {
      flags.push({ id: 'black-box-beats-white-box', message: `eps ${r.eps}: ${a.name} (no gradients) broke ${a.broke} of the ${a.ran} points every gradient attack at this eps left robust (${pct(a.broke, points)} of the points evaluated; those broken at a smaller eps already counted as broken): gradients may be masked; do not trust the gradient attacks alone (give them more steps and restarts, or attack adaptively)` });
    }
  }
  for (let i = 1; i < perEps.length; i++) {
    const [a, b] = [perEps[i - 1], perEps[i]];
    if (b.alone > a.alone) flags.push({ id: 'not-monotone-in-eps', message: `the attacks left more points robust at eps ${b.eps} (${b.alone}) than at eps ${a.eps} (${a.alone}): they are too weak or misled (the reported curve counts examples from smaller balls, so it does not rise)` });
  }
  if (!diag) return flags;
  if (diag.zeroGradient > 0) {
    flags.push({ id: 'zero-gradients', message: `${diag.zeroGradient} of ${diag.checked} points (${pct(diag.zeroGradient, diag.checked)}) have an exactly zero or non-finite input gradient of the margin loss: shattered or masked gradients` });
  }
  if (diag.vanishingGradient >= FLAG_RULES.vanishingGradient * diag.checked && diag.vanishingGradient > 0) {
    flags.push({ id: 'vanishing-gradients', message: `${diag.vanishingGradient} of ${diag.checked} points (${pct(diag.vanishingGradient, diag.checked)}) have a vanishing cross-entropy gradient (saturated softmax): cross-entropy attacks stall there; rely on margin/DLR and black-box attacks` });
  }
  if (diag.randomized) flags.push({ id: 'randomized-forward', message: 'two forward passes of the same inputs differed (a prediction, or normalised logits by more than 1e-4): the model is randomised, so single-sample gradients mislead (use expectation over transformation) and robust accuracy varies between evaluations' });
  const big = diag.largeEps;
  if (big && big.robust > FLAG_RULES.largeEps * big.points) {
    flags.push({ id: 'large-eps-not-broken', message: `at eps ${big.eps}, which allows any input in [0, 1], ${big.robust} of ${big.points} points (${pct(big.robust, big.points)}) stayed robust: the attack cannot reach points that surely exist, so its gradients are broken` });
  }
  return flags;
}

/** The best val_robust_accuracy so far, and a collapse once one happened. */
export interface CollapseWatch {
  best: number;
  bestEpoch: number;
  collapse?: { epoch: number; best: number; bestEpoch: number; value: number };
}

/**
 * One epoch of the catastrophic-overfitting guard (Wong et al. 2020, arXiv:2001.03994: FGSM training can
 * suddenly lose all robustness to PGD): a fall of `value` more than `drop` below the best so far is a
 * collapse (the first one is kept). Pure; returns the new state.
 */
export function watchCollapse(w: CollapseWatch, epoch: number, value: number, drop: number): CollapseWatch {
  if (!(value <= w.best)) return { ...w, best: value, bestEpoch: epoch };
  if (!w.collapse && w.best - value > drop) return { ...w, collapse: { epoch, best: w.best, bestEpoch: w.bestEpoch, value } };
  return w;
}

/** The catastrophic-overfitting flag of adversarial training (Wong et al. 2020). */
export const collapseFlag = (c: { epoch: number; best: number; bestEpoch: number; value: number }, best?: { value: number; epoch: number }): RedFlag => ({
  id: 'catastrophic-overfitting',
  message: `catastrophic overfitting at epoch ${c.epoch}: val_robust_accuracy fell to ${c.value.toFixed(4)} from ${c.best.toFixed(4)} (epoch ${c.bestEpoch})` +
    (best && best.epoch > c.epoch ? `; it recovered: ${best.value.toFixed(4)} at epoch ${best.epoch}` : ''),
});
