import { readMetrics } from './metrics';
import { stringifyJson } from './numbers';
import { readRunRecord } from './record';
import { FINAL_STATUSES, type MetricLine, type RunRecord } from './types';

/** What `exportRun(dir, 'json')` writes. */
export interface RunExport {
  run: RunRecord;
  metrics: MetricLine[];
}

/**
 * The run in `runDir` as text. `json`: `{ run, metrics }` (non-finite numbers as "NaN"/"Infinity"
 * strings, see numbers.ts). `csv`: columns epoch, step, time, lr, then every metric name seen, sorted
 * (a metric named like one of the first four is `metric:<name>`); one row per metric line, empty cells
 * where a line lacks a metric. `skipped` says which lines of
 * metrics.jsonl could not be exported (damaged, or a last line torn by a kill), so none vanish silently.
 */
export function exportRun(runDir: string, format: 'csv' | 'json'): { text: string; skipped?: string } {
  const run = readRunRecord(runDir);
  if (!run) throw new Error(`no readable run.json in ${runDir}`);
  const { lines, badLines, partialBytes } = readMetrics(runDir);
  const text = format === 'json' ? stringifyJson({ run, metrics: lines } satisfies RunExport, 2) + '\n' : metricsCsv(lines);
  const lost = [
    badLines ? `${badLines} unparsable line(s)` : '',
    partialBytes ? `an incomplete last line (${partialBytes} bytes${FINAL_STATUSES.includes(run.status) ? ', torn when the run ended' : ', still being written'})` : '',
  ].filter(Boolean);
  return lost.length ? { text, skipped: `metrics.jsonl of run ${run.id}: not exported: ${lost.join(' and ')}` } : { text };
}

const FIXED = ['epoch', 'step', 'time', 'lr'];

/**
 * Column names for metrics `names`: a metric named like a fixed column (a TensorBoard tag `lr`) is
 * `metric:lr`, prefixed again while that is taken too, so no header repeats a name (csv.DictReader and
 * pandas would keep only one of the two).
 */
function metricColumns(names: string[]): string[] {
  const taken = new Set([...FIXED, ...names]);
  return names.map((n) => {
    if (!FIXED.includes(n)) return n;
    let col = `metric:${n}`;
    while (taken.has(col)) col = `metric:${col}`;
    taken.add(col);
    return col;
  });
}

/** Metric lines as CSV (see `exportRun`). */
export function metricsCsv(lines: MetricLine[]): string {
  const names = [...new Set(lines.flatMap((l) => Object.keys(l.metrics)))].sort();
  const rows = [[...FIXED, ...metricColumns(names)].map(csvCell).join(',')];
  for (const l of lines) {
    const cells = [l.epoch, l.step, l.time, l.lr, ...names.map((n) => l.metrics[n])];
    rows.push(cells.map((c) => (c === undefined ? '' : csvCell(String(c)))).join(','));
  }
  return rows.join('\n') + '\n';
}

// RFC 4180 quoting, for metric names with commas or quotes.
const csvCell = (s: string): string => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
