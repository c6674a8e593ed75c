import { LIMITS } from '../../core/spec/limits';
import type { Part, Task } from './types';
import { looksNumeric, parseCsv, parseNumber, type CsvRecord } from './csv-parse';
import { DataError, readDataFile, readDataPrefix, snippet } from './read';

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

/** A cell that marks a missing value, not a name: empty, NaN, NA, null, inf. */
const MISSING = /^(|nan|na|n\/a|null|none|[+-]?inf(inity)?)$/i;

/**
 * Whether the first record is a header: it has a cell of text, neither a number nor a missing value, that
 * is not a value of the target column (a categorical label such as "setosa" in the first data row does not
 * make a header; an empty cell there is a missing value, reported as such, not a column name).
 */
function hasHeader(records: CsvRecord[], target: number | undefined): boolean {
  const [first, ...rest] = records;
  return first.cells.some((cell, j) => {
    if (looksNumeric(cell) || MISSING.test(cell.trim())) return false;
    if (j !== target) return true;
    return !rest.some((r) => r.cells[j]?.trim() === cell.trim());
  });
}

/** The header's names as a message may show them: the first 8, each a short escaped snippet. */
function namesList(names: string[]): string {
  const more = names.length > 8 ? `, ... (${names.length - 8} more)` : '';
  return names.slice(0, 8).map((n) => snippet(n)).join(', ') + more;
}

/** The target's column, and whether the first record is a header: `header` when the spec says, else guessed (hasHeader). */
function resolveTarget(records: CsvRecord[], target: string | number, file: string, header?: boolean): { column: number; header: boolean } {
  const width = records[0].cells.length;
  if (typeof target === 'number') {
    if (!Number.isInteger(target) || target < 0 || target >= width) {
      throw new DataError(`a column index in 0..${width - 1} (${file} has ${width} columns)`, String(target), 'target');
    }
    return { column: target, header: header ?? hasHeader(records, target) };
  }
  if (header === false) throw new DataError(`a zero-based column index: data.header is false, so the first row of ${file} names no column`, snippet(target, 60), 'target');
  const names = records[0].cells.map((c) => c.trim());
  const column = names.indexOf(target.trim());
  // Taking the first of two same-named columns would train on the other as a feature: possibly the target itself.
  const again = names.indexOf(target.trim(), column + 1);
  if (column >= 0 && again >= 0) {
    throw new DataError(`a column name that appears once in the header of ${file}, or a zero-based column index`, `${snippet(target, 60)} naming columns ${column + 1} and ${again + 1}`, 'target');
  }
  if (column >= 0) return { column, header: true };
  if (header !== true && !hasHeader(records, undefined)) throw new DataError(`a zero-based column index: ${file} has no header row`, snippet(target, 60), 'target');
  throw new DataError(`a column of ${file}: ${namesList(names)}`, snippet(target, 60), 'target');
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** A column for messages: `column 3 ("b") of data.csv` (1-based, as editors count). */
const columnOf = (j: number, name: string, file: string): string => `column ${j + 1} (${snippet(name)}) of ${file}`;

/**
 * Decides the task and maps targets to floats. Auto-detection: a non-numeric target, or integer
 * targets with at most 20 distinct values, mean classification; otherwise regression. Class indices
 * follow the labels' sorted order (numeric order when all labels are numbers).
 */
function encodeTargets(raw: { value: string; line: number }[], task: Task | undefined, column: string): { y: Float32Array; task: Task; labels: string[] } {
  // A guessed task would take NA or NaN for a class (and a numeric target for labels): reported as missing.
  const missing = task === undefined ? raw.find((r) => r.value.trim() !== '' && MISSING.test(r.value.trim())) : undefined;
  if (missing) {
    throw new DataError('a value in every row of the target: a missing value has no class or number to learn (set data.task to "classification" to take it as a class label)', `${snippet(missing.value.trim())} at line ${missing.line}, ${column}`, 'target');
  }
  const nums = raw.map((r) => parseNumber(r.value));
  const firstBad = nums.findIndex((v) => v === undefined);
  const numeric = firstBad < 0;
  const distinct = new Set(nums);
  const resolved: Task = task ?? (!numeric || (nums.every((v) => Number.isInteger(v)) && distinct.size <= 20) ? 'classification' : 'regression');
  if (resolved === 'regression') {
    if (!numeric) throw new DataError('a numeric target in every row for regression (within float32\'s +-3.4e38)', `${snippet(raw[firstBad].value.trim())} at line ${raw[firstBad].line}, ${column}`, 'target');
    return { y: Float32Array.from(nums as number[]), task: resolved, labels: [] };
  }
  const empty = raw.find((r) => r.value.trim() === '');
  if (empty) throw new DataError('a class label in every row', `an empty cell at line ${empty.line}, ${column}`, 'target');
  const keys = raw.map((r, i) => (numeric ? String(nums[i]) : r.value.trim()));
  const labels = [...new Set(keys)].sort(numeric ? (a, b) => Number(a) - Number(b) : compare);
  if (labels.length < 2) throw new DataError('a target with at least 2 classes', `only ${snippet(labels[0])} in ${column}`, 'target');
  if (labels.length > LIMITS.classes) {
    throw new DataError(`a target with at most ${LIMITS.classes} classes (set data.task to "regression" for a numeric target)`, `${labels.length} distinct labels in ${column}`, 'target');
  }
  const index = new Map(labels.map((l, i) => [l, i]));
  return { y: Float32Array.from(keys, (k) => index.get(k)!), task: resolved, labels };
}

/**
 * Samples from parsed CSV records with one target column given by header name or zero-based index;
 * `hasNames` (the spec's data.header) says whether the first record names the columns, else it is guessed.
 * Every other column must be numeric. Errors are DataErrors that name the file, line and column and
 * quote at most a short snippet of its content.
 */
export function csvSamples(records: CsvRecord[], target: string | number, task: Task | undefined, file: string, hasNames?: boolean): CsvSamples {
  if (records.length === 0) throw new DataError('a CSV file with rows of numbers', `${file}, which is empty`);
  const { column, header } = resolveTarget(records, target, file, hasNames);
  const width = records[0].cells.length;
  if (width < 2) throw new DataError('at least one feature column besides the target', `1 column in ${file}`);
  const names = header ? records[0].cells.map((c, j) => c.trim() || `col${j}`) : records[0].cells.map((_, j) => `col${j}`);
  const rows = header ? records.slice(1) : records;
  if (rows.length === 0) throw new DataError('data rows after the header', `only a header in ${file}`);

  const d = width - 1;
  const x = new Float32Array(rows.length * d);
  const raw: { value: string; line: number }[] = [];
  rows.forEach((r, i) => {
    if (r.cells.length !== width) throw new DataError(`${width} cells in every row, as in line ${records[0].line}`, `${r.cells.length} in line ${r.line} of ${file}`);
    let k = 0;
    r.cells.forEach((cell, j) => {
      if (j === column) return void raw.push({ value: cell, line: r.line });
      const v = parseNumber(cell);
      if (v === undefined) throw new DataError('numeric cells in every feature column (decimal or exponent notation, within float32\'s +-3.4e38)', `${snippet(cell.trim())} at line ${r.line}, ${columnOf(j, names[j], file)}`);
      x[i * d + k++] = v;
    });
  });
  const enc = encodeTargets(raw, task, columnOf(column, names[column], file));
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

/**
 * The text of a CSV file's bytes, which must be UTF-8 (or ASCII): UTF-16 (Excel's "Unicode text") or a
 * binary file would otherwise read as cells of mojibake and NULs, reported as a puzzling missing column.
 */
function csvText(bytes: Buffer, file: string): string {
  const bom = bytes.subarray(0, 2).toString('hex');
  if (bom === 'fffe' || bom === 'feff') throw new DataError('UTF-8 text (save the file as CSV UTF-8)', `UTF-16 text (byte-order mark ${bom.toUpperCase()}) in ${file}`);
  const nul = bytes.indexOf(0);
  if (nul >= 0) throw new DataError('UTF-8 text, without NUL bytes', `a NUL byte at offset ${nul} of ${file} (UTF-16 text or a binary file)`);
  return bytes.toString('utf8');
}

/**
 * Reads a numeric CSV (optionally gzip-compressed, recognised by its magic bytes) with one target
 * column given by header name or zero-based index; see `csvSamples`. Input shape is `[columns - 1]`.
 */
export function loadCsv(file: string, target: string | number, task?: Task, header?: boolean): CsvSamples {
  return csvSamples(parseCsv(csvText(readDataFile(file), file), file), target, task, file, header);
}

/**
 * What a spec check learns from a CSV file before a run: the whole file is read exactly as `loadCsv`
 * would when it is at most `maxBytes` (after decompression); of a larger one the first `maxBytes`, whose
 * complete rows are checked the same way. Throws the DataError the run would meet.
 */
export function scanCsv(file: string, target: string | number, task: Task | undefined, maxBytes: number, header?: boolean): CsvSamples {
  const { bytes, complete } = readDataPrefix(file, maxBytes);
  const records = parseCsv(csvText(bytes, file), file, complete);
  if (!complete && records.length < 2) throw new DataError(`a header and a first row within the first ${maxBytes} bytes`, `longer rows in ${file}`);
  const samples = csvSamples(records, target, task, file, header);
  // Few integer targets in the first rows read as classes; more values further down make the run's guess,
  // from every row, regression. (Text labels, or any fraction, give the same guess both ways.)
  if (!complete && task === undefined && samples.task === 'classification' && samples.labels.every((l) => parseNumber(l) !== undefined)) {
    throw new DataError(`"classification" or "regression": ${file} is longer than the ${maxBytes >= 2 ** 20 ? `${Math.round(maxBytes / 2 ** 20)} MiB` : `${maxBytes} bytes`} a spec check reads, and its first rows hold ${samples.classes} integer target values, which a run (reading every row) may count as a regression target`, 'nothing', 'task');
  }
  return samples;
}
