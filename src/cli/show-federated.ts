import { partitionStats, readPartitionSummary } from '../core/federated';
import { kindOf, type RunRecord } from '../core/store/types';
import type { Spec } from '../core/spec/types';

/** `hone show`'s lines for a federated run: the federation's settings, and how its data was dealt. */
export function federatedLines(r: RunRecord, dir: string): string[] {
  const f = kindOf(r) === 'federated' ? (r.spec as Spec).federated : undefined;
  if (!f) return [];
  const p = f.partition;
  const dealt = p.type === 'iid' ? `iid${p.sizeSigma > 0 ? `, log-normal sizes (sigma ${p.sizeSigma})` : ''}` : p.type === 'dirichlet' ? `dirichlet alpha ${p.alpha}` : `shards, ${p.shardsPerClient} per client`;
  const extras = [
    f.aggregation.rule !== 'mean' ? `aggregation ${f.aggregation.rule}` : '',
    f.attack ? `attack ${f.attack.type} (${f.attack.fraction} of clients)` : '',
    f.privacy ? `DP clip ${f.privacy.clip} noise ${f.privacy.noise} delta ${f.privacy.delta}` : '',
    f.compression ? `upload ${f.compression.type}` : '',
  ].filter(Boolean);
  const lines = [`federated ${f.algorithm}, ${f.rounds} rounds of ${f.clients} clients (${dealt}), C ${f.fraction}, E ${f.localEpochs}, B ${f.batchSize || 'all'}${extras.length ? `; ${extras.join('; ')}` : ''}`];
  const s = readPartitionSummary(dir);
  if (s) {
    const st = partitionStats(s);
    const labels = st.labels ? `; labels per client ${st.labels.min}..${st.labels.max} (mean ${st.labels.mean.toFixed(1)})` : '';
    lines.push(`clients   ${st.minSize}..${st.maxSize} samples each${labels}${st.byzantine ? `; ${st.byzantine} Byzantine` : ''} (partition.json)`);
  }
  return lines;
}
