import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { Part, Task } from './types';
import { parseCsv, parseNumber, type CsvRecord } from './csv-parse';

export interface CsvSamples {
  part: Part;
  task: Task;
  /** Number of classes; 0 for regression. */
  classes: number;
  /** Classification: the original label of each class index, in sorted order. */
  labels: string[];
  /** Names of the feature columns (from the header, else `col<i>`), in order. */
  features: string[];
  targetName: string;
  header: boolean;
}

/**
 * Whether the first record is a header: it has a non-numeric cell that is not a value of the target
 * column (a categorical label such as "setosa" in the first data row does not make a header).
 */
function hasHeader(records: CsvRecord[], target: number | undefined): boolean {
  const [first, ...rest] = records;
  return first.cells.some((cell, j) => {
    if (parseNumber(cell) !== undefined) return false;
    if (j !== target) return true;
    return !rest.some((r) => r.cells[j]?.trim() === cell.trim());
  });
}

function resolveTarget(records: CsvRecord[], target: string | number, file: string): { column: number; header: boolean } {
  const width = records[0].cells.length;
  if (typeof target === 'number') {
    if (!Number.isInteger(target) || target < 0 || target >= width) {
      throw new Error(`${file}: target column index ${target} is out of range (the file has ${width} columns, 0..${width - 1})`);
    }
    return { column: target, header: hasHeader(records, target) };
  }
  const names = records[0].cells.map((c) => c.trim());
  const column = names.indexOf(target.trim());
  if (column >= 0) return { column, header: true };
  if (!hasHeader(records, undefined)) throw new Error(`${file}: target "${target}" is a column name, but the file has no header row; give a zero-based column index`);
  throw new Error(`${file}: no column named "${target}"; the header has ${names.map((n) => `"${n}"`).join(', ')}`);
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Decides the task and maps targets to floats. Auto-detection: a non-numeric target, or integer
 * targets with at most 20 distinct values, mean classification; otherwise regression. Class indices
 * follow the labels' sorted order (numeric order when all labels are numbers).
 */
function encodeTargets(raw: { value: string; line: number }[], task: Task | undefined, file: string, name: string): { y: Float32Array; task: Task; labels: string[] } {
  const nums = raw.map((r) => parseNumber(r.value));
  const firstBad = nums.findIndex((v) => v === undefined);
  const numeric = firstBad < 0;
  const distinct = new Set(nums);
  const resolved: Task = task ?? (!numeric || (nums.every((v) => Number.isInteger(v)) && distinct.size <= 20) ? 'classification' : 'regression');
  if (resolved === 'regression') {
    if (!numeric) throw new Error(`${file}: line ${raw[firstBad].line}, target column "${name}": "${raw[firstBad].value}" is not a number (regression needs numeric targets)`);
    return { y: Float32Array.from(nums as number[]), task: resolved, labels: [] };
  }
  const empty = raw.find((r) => r.value.trim() === '');
  if (empty) throw new Error(`${file}: line ${empty.line}, target column "${name}" is empty`);
  const keys = raw.map((r, i) => (numeric ? String(nums[i]) : r.value.trim()));
  const labels = [...new Set(keys)].sort(numeric ? (a, b) => Number(a) - Number(b) : compare);
  if (labels.length < 2) throw new Error(`${file}: target column "${name}" has a single class (${labels[0]}); classification needs at least 2`);
  const index = new Map(labels.map((l, i) => [l, i]));
  return { y: Float32Array.from(keys, (k) => index.get(k)!), task: resolved, labels };
}

/**
 * Reads a numeric CSV (optionally gzip-compressed, recognised by its magic bytes) with one target
 * column given by header name or zero-based index. Every other column must be numeric; the error
 * names the line and column otherwise. Input shape is `[columns - 1]`.
 */
export function loadCsv(file: string, target: string | number, task?: Task): CsvSamples {
  let bytes: Buffer = readFileSync(file);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
  const records = parseCsv(bytes.toString('utf8'), file);
  if (records.length === 0) throw new Error(`${file}: the file is empty`);
  const { column, header } = resolveTarget(records, target, file);
  const width = records[0].cells.length;
  if (width < 2) throw new Error(`${file}: needs at least one feature column besides the target`);
  const names = header ? records[0].cells.map((c, j) => c.trim() || `col${j}`) : records[0].cells.map((_, j) => `col${j}`);
  const rows = header ? records.slice(1) : records;
  if (rows.length === 0) throw new Error(`${file}: no data rows after the header`);

  const d = width - 1;
  const x = new Float32Array(rows.length * d);
  const raw: { value: string; line: number }[] = [];
  rows.forEach((r, i) => {
    if (r.cells.length !== width) throw new Error(`${file}: line ${r.line} has ${r.cells.length} columns, expected ${width} as in line ${records[0].line}`);
    let k = 0;
    r.cells.forEach((cell, j) => {
      if (j === column) return void raw.push({ value: cell, line: r.line });
      const v = parseNumber(cell);
      if (v === undefined) throw new Error(`${file}: line ${r.line} (data row ${i + 1}), column "${names[j]}" (index ${j}): "${cell.trim()}" is not a number`);
      x[i * d + k++] = v;
    });
  });
  const enc = encodeTargets(raw, task, file, names[column]);
  return {
    part: { x, y: enc.y, n: rows.length },
    task: enc.task,
    classes: enc.task === 'classification' ? enc.labels.length : 0,
    labels: enc.labels,
    features: names.filter((_, j) => j !== column),
    targetName: names[column],
    header,
  };
}
