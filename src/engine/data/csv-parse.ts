/** One CSV record and the file line it starts on (1-based), for error messages. */
export interface CsvRecord {
  cells: string[];
  line: number;
}

/**
 * Splits CSV text (RFC 4180: comma-separated, fields optionally in double quotes, `""` for a quote
 * inside quotes, quoted fields may span lines; LF, CRLF or CR line ends). Blank lines and a leading
 * byte-order mark are skipped. Cells are returned as written, without trimming.
 */
export function parseCsv(text: string, file = 'csv'): CsvRecord[] {
  const records: CsvRecord[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;

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
      } else {
        if (ch === '\n' || (ch === '\r' && text[i + 1] !== '\n')) line++;
        cell += ch;
      }
    } else if (ch === '"' && cell.trim() === '') {
      quoted = true;
      cell = '';
    } else if (ch === ',') {
      cells.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      start = ++line;
    } else {
      cell += ch;
    }
  }
  if (quoted) throw new Error(`${file}: line ${start}: a quoted field is not closed`);
  if (cell !== '' || cells.length > 0) endRecord();
  return records;
}

/** A finite number written in decimal or exponent notation (not `''`, `NaN`, `Infinity` or hex). */
export function parseNumber(cell: string): number | undefined {
  const s = cell.trim();
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return undefined;
  const v = Number(s);
  return Number.isFinite(v) ? v : undefined;
}
