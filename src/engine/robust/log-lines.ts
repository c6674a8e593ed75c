/**
 * An evaluation's progress and red flags as log lines, the same words in a training run's own evaluation
 * (in-run.ts) and in an evaluate run's (worker.ts).
 */
import type { EpsResult, RedFlag } from '../../core/robust/report';

/** `eps 0.1: robust accuracy 0.4125 [0.3034, 0.5282]; apgd-ce broke 30/63, square broke 0/33`. */
export const epsLogLine = (r: EpsResult): string =>
  `eps ${r.eps}: robust accuracy ${r.robustAccuracy.toFixed(4)} [${r.ci.map((v) => v.toFixed(4)).join(', ')}]; ${r.attacks.map((a) => `${a.name} broke ${a.broke}/${a.ran}`).join(', ')}`;

export const flagLogLine = (f: RedFlag): string => `red flag ${f.id}: ${f.message}`;
