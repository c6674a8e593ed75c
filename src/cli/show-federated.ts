import { partitionStats, readPartitionSummary } from '../core/federated';
import { federatedLine, partitionStatsText } from '../core/dashboard/federated';
import { kindOf, type RunRecord } from '../core/store/types';
import type { Spec } from '../core/spec/types';

/** `hone show`'s lines for a federated run: the federation's settings, and how its data was dealt. */
export function federatedLines(r: RunRecord, dir: string): string[] {
  const f = kindOf(r) === 'federated' ? (r.spec as Spec).federated : undefined;
  if (!f) return [];
  const s = readPartitionSummary(dir);
  return [federatedLine(f), ...(s ? [`clients   ${partitionStatsText(partitionStats(s))} (partition.json)`] : [])];
}
