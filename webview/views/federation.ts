/**
 * Run detail's Federation section for a federated run: the spec's federation (algorithm, clients, C, E,
 * B, partition, robust aggregation, attack, privacy, compression), the clients as partition.json has
 * them, and the privacy spent so far. The words are `hone show`'s (core/dashboard/federated.ts).
 */
import { federatedFacts, partitionStatsText } from '../../src/core/dashboard/federated';
import { formatMetric } from '../../src/core/dashboard/present';
import type { RunDetail, RunInfo } from '../../src/core/dashboard/protocol';
import type { Spec } from '../../src/core/spec/types';
import { facts, h } from '../lib/dom';

export function federationSection(r: RunInfo, d: RunDetail | undefined): HTMLElement | undefined {
  const f = r.kind === 'federated' ? (r.spec as Spec | undefined)?.federated : undefined;
  if (!f) return undefined;
  const epsilon = r.final.epsilon;
  return h('section', { class: 'federation' }, h('h3', {}, 'Federation'), facts([
    ...federatedFacts(f),
    ['clients dealt', d?.partition && `${partitionStatsText(d.partition)} (${d.partition.samples.toLocaleString('en')} samples)`],
    ['privacy spent', epsilon !== undefined && f.privacy ? `ε ${formatMetric('epsilon', epsilon)} at δ ${f.privacy.delta}` : undefined],
  ]));
}
