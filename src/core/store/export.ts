import { readMetrics } from './metrics';
import { stringifyJson } from './numbers';
import { readRunRecord } from './record';
import type { MetricLine, RunRecord } from './types';

/** What `exportRun(dir, 'json')` writes. */
export interface RunExport {
  run: RunRecord;
  metrics: MetricLine[];
}

/**
 * The run in `runDir` as text. `json`: `{ run, metrics }` (non-finite numbers as "NaN"/"Infinity"
 * strings, see numbers.ts). `csv`: columns epoch, step, time, lr, then every metric name seen, sorted;
 * one row per metric line, empty cells where a line lacks a metric.
 */
export function exportRun(runDir: string, format: 'csv' | 'json'): string {
  const run = readRunRecord(runDir);
  if (!run) throw new Error(`no readable run.json in ${runDir}`);
  const { lines } = readMetrics(runDir);
  if (format === 'json') return stringifyJson({ run, metrics: lines } satisfies RunExport, 2) + '\n';
  return metricsCsv(lines);
}

/** Metric lines as CSV (see `exportRun`). */
export function metricsCsv(lines: MetricLine[]): string {
  const names = [...new Set(lines.flatMap((l) => Object.keys(l.metrics)))].sort();
  const rows = [['epoch', 'step', 'time', 'lr', ...names].map(csvCell).join(',')];
  for (const l of lines) {
    const cells = [l.epoch, l.step, l.time, l.lr, ...names.map((n) => l.metrics[n])];
    rows.push(cells.map((c) => (c === undefined ? '' : csvCell(String(c)))).join(','));
  }
  return rows.join('\n') + '\n';
}

// RFC 4180 quoting, for metric names with commas or quotes.
const csvCell = (s: string): string => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
