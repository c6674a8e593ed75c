import { DataError, snippet } from './read';

/** One CSV record and the file line it starts on (1-based), for error messages. */
export interface CsvRecord {
  cells: string[];
  line: number;
}

// Characters that need no decision, taken in one slice: the parse is linear and quick on large files.
const PLAIN_RUN = /[^,\r\n"]+/y;
const QUOTED_RUN = /[^"\r\n]+/y;

/**
 * Splits CSV text (RFC 4180: comma-separated, fields optionally in double quotes, `""` for a quote
 * inside quotes, quoted fields may span lines; LF, CRLF or CR line ends). Blank lines and a leading
 * byte-order mark are skipped. Cells are returned as written, without trimming. Text that is only the
 * start of a file (`complete` false) loses its last record, which the cut may have split.
 */
export function parseCsv(text: string, file = 'csv', complete = true): CsvRecord[] {
  const records: CsvRecord[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  // A quoted field just closed: only blanks may follow it before the comma or the line's end.
  let closed = false;
  let line = 1;
  let start = 1;
  let opened = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;

  // Appends the run of ordinary characters from `at` (at least one) to the cell; returns its last index.
  const run = (re: RegExp, at: number): number => {
    re.lastIndex = at;
    const end = re.test(text) ? re.lastIndex : at + 1;
    cell += text.slice(at, end);
    return end - 1;
  };
  const endRecord = (): void => {
    cells.push(cell);
    if (cells.length > 1 || cells[0].trim() !== '') records.push({ cells, line: start });
    cells = [];
    cell = '';
  };

  for (; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') {
        quoted = false;
        closed = true;
      } else if (ch === '\n' || ch === '\r') {
        if (ch === '\n' || text[i + 1] !== '\n') line++;
        cell += ch;
      } else {
        i = run(QUOTED_RUN, i);
      }
    } else if (ch === '"' && cell.trim() === '') {
      quoted = true;
      opened = line;
      cell = '';
    } else if (ch === ',') {
      cells.push(cell);
      cell = '';
      closed = false;
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      start = ++line;
      closed = false;
    } else if (closed) {
      // `"1"2` is no field: reading it as 12 would train on a number the file does not hold.
      if (ch !== ' ' && ch !== '\t') throw new DataError('a comma or the end of the line after a closing quote', `${snippet(/^[^,\r\n]*/.exec(text.slice(i, i + 64))![0])} after quoted field ${cells.length + 1} in line ${line} of ${file}`);
      cell += ch;
    } else {
      i = run(PLAIN_RUN, i);
    }
  }
  if (!complete) return records;
  if (quoted) throw new DataError('a closing quote for every quoted field', `a quoted field opened in line ${opened} of ${file} and never closed`);
  if (cell !== '' || cells.length > 0) endRecord();
  return records;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Written as a number in decimal or exponent notation (not `''`, `NaN`, `Infinity` or hex), whatever its size. */
export const looksNumeric = (cell: string): boolean => NUMBER.test(cell.trim());

/**
 * A number written in decimal or exponent notation that float32, in which Hone keeps data, holds: not
 * `''`, `NaN`, `Infinity` or hex, and not beyond +-3.4e38 (1e39 would become Infinity).
 */
export function parseNumber(cell: string): number | undefined {
  if (!looksNumeric(cell)) return undefined;
  const v = Number(cell.trim());
  return Number.isFinite(Math.fround(v)) ? v : undefined;
}
