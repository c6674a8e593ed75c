/** What a spec's `compress` section plans: how many metric lines, and a short description for run names. */
import type { Spec } from '../spec/types';
import type { CompressSpec } from '../spec/compress-types';
import type { RunKind } from '../store/types';
import { plannedSteps } from '../dashboard/federated';

/**
 * Metric lines a run of `spec` writes (its `epochsPlanned`): its training epochs or a federated spec's
 * rounds (none in a `compress` run, which starts from its parent's model), every compression stage's
 * retraining epochs, and one last line of the compressed model's measurements.
 */
export function plannedEpochs(spec: Spec, kind: RunKind): number {
  const base = kind === 'compress' ? 0 : plannedSteps(spec);
  const c = spec.compress;
  if (!c) return base;
  const cycles = c.prune?.schedule.type === 'iterative' ? c.prune.schedule.cycles : 1;
  return base + (c.prune ? c.prune.epochs * cycles : 0) + (c.structured?.epochs ?? 0) + (c.share?.epochs ?? 0) + (c.quantize?.epochs ?? 0) + 1;
}

/** `prune 0.9 + share 16 + quantize 8 bits`: the stages of a section, for run names and messages. */
export function describeCompress(c: CompressSpec | undefined): string {
  if (!c) return 'measure';
  const parts = [
    c.prune && `prune ${c.prune.sparsity}${c.prune.scope === 'global' ? ' global' : ''} ${c.prune.schedule.type}`,
    c.structured && `structured ${c.structured.fraction}`,
    c.share && `share ${c.share.clusters}`,
    c.quantize && `quantize ${c.quantize.bits === 16 ? 'float16' : `${c.quantize.bits} bits${c.quantize.granularity === 'channel' ? ' per channel' : ''}`}${c.quantize.epochs ? ' QAT' : ''}`,
  ].filter(Boolean);
  return parts.join(' + ') || 'measure';
}
