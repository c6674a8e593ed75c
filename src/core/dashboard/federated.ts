/**
 * How a federated run reads wherever it is shown (`hone show`, the Runs tree, Run detail, chart axes):
 * its step is a round, not an epoch; its settings and partition in a few words. Pure: the webview imports
 * it (the partition numbers come from core/federated/summary.ts, read on the host).
 */
import type { PartitionStats } from '../federated/summary';
import type { PartitionSpec } from '../federated/partition';
import type { FederatedSpec } from '../spec/federated-types';
import type { RunKind } from '../store/types';
import type { Spec } from '../spec/types';

/** What one step of a run is: a federated run's metrics.jsonl has one line per round (its `epoch`). */
export const stepUnit = (kind: RunKind | undefined): 'round' | 'epoch' => (kind === 'federated' ? 'round' : 'epoch');

/**
 * The title of an axis counting `unit`s (`epoch`, or `step`: an optimizer step, one batch) drawing runs of
 * these kinds, whose federated ones count rounds instead: `round` when all are federated, `<unit> / round`
 * when mixed.
 */
function axisLabel(unit: 'epoch' | 'step', kinds: (RunKind | undefined)[]): string {
  const federated = kinds.filter((k) => k === 'federated').length;
  return !federated ? unit : federated === kinds.length ? 'round' : `${unit} / round`;
}

/** The title of an epoch axis drawing runs of these kinds: `round` when all are federated, `epoch / round` when mixed. */
export const epochAxisLabel = (kinds: (RunKind | undefined)[]): string => axisLabel('epoch', kinds);

/** The title of a step axis drawing runs of these kinds: a federated run's step is its round. */
export const stepAxisLabel = (kinds: (RunKind | undefined)[]): string => axisLabel('step', kinds);

/** A table column counting the steps of runs of these kinds: `rounds` when all are federated, `epochs / rounds` when mixed. */
export const stepsLabel = (kinds: (RunKind | undefined)[]): string => epochAxisLabel(kinds).replace(/(epoch|round)/g, '$1s');

/** The steps a spec's run trains: a federated spec's rounds, else its epochs (one metrics line each). */
export const plannedSteps = (spec: Pick<Spec, 'federated' | 'train'>): number => spec.federated?.rounds ?? spec.train.epochs;

/**
 * The local epochs E and batch B the clients train with (B 0: a client's whole data). fedsgd takes one
 * full-batch gradient step, whatever `localEpochs` and `batchSize` say (their schema defaults, unused):
 * the rule the clients follow (engine/federated/round.ts) and the one every view shows.
 */
export const localTraining = (f: Pick<FederatedSpec, 'algorithm' | 'localEpochs' | 'batchSize'>): { epochs: number; batch: number } =>
  f.algorithm === 'fedsgd' ? { epochs: 1, batch: 0 } : { epochs: f.localEpochs, batch: f.batchSize };

/** `dirichlet alpha 0.5`: how the training data was dealt to the clients. */
export function partitionText(p: PartitionSpec): string {
  if (p.type === 'iid') return `iid${p.sizeSigma > 0 ? `, log-normal sizes (sigma ${p.sizeSigma})` : ''}`;
  return p.type === 'dirichlet' ? `dirichlet alpha ${p.alpha}` : `shards, ${p.shardsPerClient} per client`;
}

/** The optional parts of a federation, each a short phrase (none for plain FedAvg-style runs). */
export function federatedExtras(f: FederatedSpec): string[] {
  return [
    f.aggregation.rule !== 'mean' ? `aggregation ${f.aggregation.rule}` : '',
    f.attack ? `attack ${f.attack.type} (${f.attack.fraction} of clients)` : '',
    f.privacy ? `DP clip ${f.privacy.clip} noise ${f.privacy.noise} delta ${f.privacy.delta}` : '',
    f.compression ? `upload ${f.compression.type}` : '',
  ].filter(Boolean);
}

/** `federated fedavg, 15 rounds of 20 clients (dirichlet alpha 0.5), C 0.25, E 2, B 10`: the whole federation on one line. */
export function federatedLine(f: FederatedSpec): string {
  const extras = federatedExtras(f);
  const local = localTraining(f);
  return `federated ${f.algorithm}, ${f.rounds} rounds of ${f.clients} clients (${partitionText(f.partition)}), C ${f.fraction}, E ${local.epochs}, B ${local.batch || 'all'}${extras.length ? `; ${extras.join('; ')}` : ''}`;
}

/** `20..120 samples each; labels per client 2..6 (mean 3.4); 2 Byzantine`: what partition.json says of the clients. */
export function partitionStatsText(st: PartitionStats): string {
  const labels = st.labels ? `; labels per client ${st.labels.min}..${st.labels.max} (mean ${st.labels.mean.toFixed(1)})` : '';
  return `${st.minSize}..${st.maxSize} samples each${labels}${st.byzantine ? `; ${st.byzantine} Byzantine` : ''}`;
}

/**
 * The federation as label/value rows (Run detail, the tree's tooltip): algorithm, rounds, clients, C, E,
 * B, partition, then aggregation, attack, privacy and compression where set.
 */
export function federatedFacts(f: FederatedSpec): [string, string][] {
  const local = localTraining(f);
  const rows: [string, string | undefined][] = [
    ['algorithm', f.algorithm],
    ['rounds', String(f.rounds)],
    ['clients', String(f.clients)],
    ['fraction C', String(f.fraction)],
    ['local epochs E', String(local.epochs)],
    ['local batch B', local.batch ? String(local.batch) : 'all'],
    ['partition', partitionText(f.partition)],
    ['aggregation', f.aggregation.rule !== 'mean' ? f.aggregation.rule : undefined],
    ['attack', f.attack && `${f.attack.type} (${f.attack.fraction} of clients)`],
    ['privacy', f.privacy && `DP clip ${f.privacy.clip}, noise ${f.privacy.noise}, delta ${f.privacy.delta}`],
    ['upload compression', f.compression?.type],
  ];
  return rows.filter((r): r is [string, string] => r[1] !== undefined);
}
