/**
 * Hone's line protocol for any command (docs/exec-protocol.md): one JSON object per line, appended to
 * the file `$HONE_METRICS_FILE` names. Pure parsing only; the supervisor tails the file.
 */

/** What one protocol line says; a line may carry several of these at once. */
export interface ProtocolLine {
  /** Merged into the run's `spec.params`. */
  params?: Record<string, unknown>;
  /**
   * `--set` names the command did not take as given (hone.py sends those it applied under another
   * spelling, `batch-size` as batch_size, and those the script has no parameter for): removed from
   * `spec.params`, which then holds what the command used.
   */
  unused?: string[];
  /** One row of metrics: `step` and `epoch` as given (either may be absent). */
  metrics?: { values: Record<string, number>; step?: number; epoch?: number };
  /** A file or folder to copy into `artifacts/` when the run ends (relative to the command's cwd). */
  artifact?: string;
}

// Outside JSON strings, the spellings of non-finite numbers other writers use: Python's json.dumps
// (NaN, Infinity), C's printf and awk (nan, inf, and gawk's +inf, +nan), R (Inf), Go (+Inf). Strings
// are matched first and kept as they are.
const BARE_NON_FINITE = /"(?:[^"\\]|\\.)*"|([+-]?)\b(Infinity|inf|nan)\b/gi;

/** `text` with bare non-finite tokens quoted as "NaN", "Infinity", "-Infinity", so JSON.parse takes it. */
export function quoteNonFinite(text: string): string {
  return text.replace(BARE_NON_FINITE, (m: string, sign: string | undefined, word: string | undefined) => {
    if (word === undefined) return m;
    return word.toLowerCase() === 'nan' ? '"NaN"' : `"${sign === '-' ? '-' : ''}Infinity"`;
  });
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** A metric value: a JSON number or one of the strings Hone writes for non-finite numbers. */
function metricValue(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (v === 'NaN' || v === 'Infinity' || v === '-Infinity') return Number(v);
  return undefined;
}

/** An optional integer field (`step`, `epoch`): a number, or why not. */
function counter(raw: Record<string, unknown>, key: string): number | undefined | string {
  const v = raw[key];
  if (v === undefined || v === null) return undefined;
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : `'${key}' should be a whole number >= 0`;
}

/** Parses one line (without its newline): what it says, or why it is skipped. */
export function parseProtocolLine(text: string): ProtocolLine | { problem: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(quoteNonFinite(text));
  } catch {
    return { problem: 'not valid JSON' };
  }
  if (!isObject(raw)) return { problem: 'not a JSON object' };
  const out: ProtocolLine = {};
  if (raw.params !== undefined) {
    if (!isObject(raw.params)) return { problem: "'params' should be an object" };
    out.params = raw.params;
  }
  if (raw.unused !== undefined) {
    if (!Array.isArray(raw.unused) || !raw.unused.every((k) => typeof k === 'string')) return { problem: "'unused' should be a list of names" };
    out.unused = raw.unused;
  }
  if (raw.metrics !== undefined) {
    if (!isObject(raw.metrics)) return { problem: "'metrics' should be an object" };
    // Made by `fromEntries`, as import does with tags: it defines keys where `values[k] = n` would assign
    // them, and a metric named `__proto__` would set the object's prototype (dropped) instead of a key.
    const entries: [string, number][] = [];
    for (const [k, v] of Object.entries(raw.metrics)) {
      const n = metricValue(v);
      if (n === undefined) return { problem: `metric '${k}' is not a number` };
      entries.push([k, n]);
    }
    const values = Object.fromEntries(entries);
    const step = counter(raw, 'step');
    const epoch = counter(raw, 'epoch');
    if (typeof step === 'string') return { problem: step };
    if (typeof epoch === 'string') return { problem: epoch };
    // No metric, no row: an empty one would count as an epoch and blank the run's latest values.
    if (entries.length) out.metrics = { values, ...(step !== undefined ? { step } : {}), ...(epoch !== undefined ? { epoch } : {}) };
  }
  if (raw.artifact !== undefined) {
    if (typeof raw.artifact !== 'string' || !raw.artifact) return { problem: "'artifact' should be a path" };
    out.artifact = raw.artifact;
  }
  if (!out.params && !out.unused && !out.metrics && !out.artifact) return { problem: raw.metrics !== undefined ? "'metrics' is empty" : "no 'params', 'unused', 'metrics' or 'artifact'" };
  return out;
}

/** A line longer than this (in bytes, without its newline) is skipped and counted as malformed, however it was read. */
export const MAX_LINE_BYTES = 1 << 20;

/**
 * Splits newly read bytes into complete lines, carrying an incomplete last line over to the next read.
 * `final` (the command has ended): the carried-over rest is a last line too, however it ends. Lines are
 * cut on bytes, so a multi-byte character split between two reads is decoded whole. A line over
 * MAX_LINE_BYTES is dropped and counted in `overlong` whether it arrived whole or in pieces: once an
 * unfinished line passes the limit it is dropped at once, and the rest of it as it comes, up to its
 * newline, so memory stays bounded.
 */
export class LineSplitter {
  private rest = Buffer.alloc(0);
  /** Set while dropping the remainder of an overlong line, up to its newline. */
  private skipping = false;
  /** Lines given up on for being longer than MAX_LINE_BYTES. */
  overlong = 0;

  push(chunk: Buffer, final = false): string[] {
    let buf = this.rest.length ? Buffer.concat([this.rest, chunk]) : chunk;
    const lines: string[] = [];
    for (let nl = buf.indexOf(0x0a); nl >= 0; nl = buf.indexOf(0x0a)) {
      this.take(buf.subarray(0, nl), lines);
      buf = buf.subarray(nl + 1);
    }
    if (final) {
      if (buf.length) this.take(buf, lines);
      buf = Buffer.alloc(0);
      this.skipping = false;
    } else if (this.skipping || buf.length > MAX_LINE_BYTES) {
      if (!this.skipping) this.overlong++;
      this.skipping = true;
      buf = Buffer.alloc(0);
    }
    this.rest = Buffer.from(buf);
    return lines.map((l) => l.replace(/\r$/, '')).filter((l) => l.trim());
  }

  /** Keeps one whole line, or drops it: the end of a line already counted as overlong, or one over the limit. */
  private take(line: Buffer, into: string[]): void {
    if (this.skipping) this.skipping = false;
    else if (line.length > MAX_LINE_BYTES) this.overlong++;
    else into.push(line.toString('utf8'));
  }
}
