/**
 * Reading a federated run's partition.json and the few numbers a view shows of it (the CLI's `hone show`;
 * the dashboard can use the same): client sizes and how many labels each client holds.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PARTITION_FILE, type PartitionSummary } from './partition';

/** The run's partition summary, or undefined when the run has none (not federated, or not started). */
export function readPartitionSummary(runDir: string): PartitionSummary | undefined {
  try {
    const s = JSON.parse(readFileSync(join(runDir, PARTITION_FILE), 'utf8')) as PartitionSummary;
    return s?.version === 1 && Array.isArray(s.sizes) ? s : undefined;
  } catch {
    return undefined;
  }
}

export interface PartitionStats {
  clients: number;
  samples: number;
  minSize: number;
  maxSize: number;
  /** Labels with at least one sample, per client: min, mean, max (classification only). */
  labels?: { min: number; mean: number; max: number };
  byzantine: number;
}

export function partitionStats(s: PartitionSummary): PartitionStats {
  const held = s.labels?.map((row) => row.filter((c) => c > 0).length);
  return {
    clients: s.clients,
    samples: s.samples,
    minSize: Math.min(...s.sizes),
    maxSize: Math.max(...s.sizes),
    ...(held?.length ? { labels: { min: Math.min(...held), mean: held.reduce((a, b) => a + b, 0) / held.length, max: Math.max(...held) } } : {}),
    byzantine: s.byzantine.length,
  };
}
