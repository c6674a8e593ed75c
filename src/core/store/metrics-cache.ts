/**
 * The metrics cache, `runs/<id>/metrics.cache`: the lines of metrics.jsonl as binary columns, so that
 * readers of whole series (the dashboard's feed, `hone dashboard`) do not parse JSON lines that were
 * parsed before. metrics.jsonl stays the source of truth; the cache is derived and disposable (deleting
 * it costs one parse), written by the worker when a run ends and by readers that find it missing or short.
 *
 * Layout, little-endian: the 8 bytes "HONEMC1\n", a uint32 header length, the header as JSON (padded with
 * spaces so the body starts at a multiple of 8), then the body of Float64 columns: epoch, step, time and
 * lr (one value per line), then for each metric, in the order its name first appears, the indices of the
 * lines that have it (only when some lines lack it) and its values. NaN and +-Infinity, which
 * metrics.jsonl writes as the strings "NaN" and "Infinity", are stored as themselves.
 *
 * The header names the bytes of metrics.jsonl the body covers (complete lines), their CRC-32, and the
 * file's inode, size and mtime as stat saw them before it was read. A reader trusts the cache without
 * opening metrics.jsonl only when that stat is unchanged. Otherwise it reads the file and checks the
 * covered bytes' CRC: equal, it parses only the lines after them (appended while the run trained, or a
 * last line that was still being written); different (the file was replaced, truncated, or rewritten in
 * place, even to the same size), it rebuilds. A file modified less than 2 s before it was read is not
 * stamped, since a coarse mtime clock could hide a same-size rewrite in the same tick (Git's "racily
 * clean" entries). Every load checks the body's length and CRC, so a torn or damaged cache is rebuilt,
 * never trusted. Writes are a temp file renamed over the cache, unsynced: a crash can only tear a cache,
 * and a torn one is rebuilt.
 */
import { readFileSync, statSync } from 'node:fs';
import { endianness } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { atomicWriteFileSync, errCode } from './fs-util';
import { parseMetricLines, readFrom } from './metrics';
import { METRICS_CACHE_FILE, METRICS_FILE } from './paths';
import type { MetricLine } from './types';

const MAGIC = Buffer.from('HONEMC1\n');
const RACY_MS = 2000;
// Float64Array uses the machine's byte order; a big-endian machine (s390x) parses metrics.jsonl instead.
const CACHING = endianness() === 'LE';

/** One metric's values, and the lines they belong to: `rows` (indices) when some lines lack the metric. */
export interface MetricColumn {
  rows?: Float64Array;
  values: Float64Array;
}

/** The complete lines of a metrics.jsonl as columns (what `readMetrics` parses, minus `tensors`). */
export interface MetricColumns {
  lines: number;
  /** Complete lines that did not parse (skipped, as by `readMetrics`). */
  badLines: number;
  /** Where the complete lines end in metrics.jsonl: a tailer reads on from here. */
  nextByte: number;
  epoch: Float64Array;
  /** NaN where a line has no numeric step. */
  step: Float64Array;
  time: Float64Array;
  lr: Float64Array;
  /** In the order each name first appears. */
  metrics: Map<string, MetricColumn>;
}

interface Stamp {
  ino: number;
  size: number;
  mtimeMs: number;
}

interface Header {
  /** metrics.jsonl as stat saw it before it was read; null when modified too recently to trust. */
  stamp: Stamp | null;
  coveredCrc: number;
  lines: number;
  badLines: number;
  nextByte: number;
  metrics: { name: string; count: number }[];
  bodyCrc: number;
}

const none = new Float64Array(0);
const EMPTY: MetricColumns = { lines: 0, badLines: 0, nextByte: 0, epoch: none, step: none, time: none, lr: none, metrics: new Map() };

/**
 * The lines of `<runDir>/metrics.jsonl` as columns: from the cache where it is valid, parsing only the
 * lines it lacks. With `write` (default), a cache that was missing, stale or short is rewritten; a folder
 * that refuses the write only costs the next reader a parse. `write: false` leaves the run folder as it is
 * (an untrusted workspace's read-only dashboard).
 */
export function readMetricColumns(runDir: string, write = true): MetricColumns {
  const cacheFile = join(runDir, METRICS_CACHE_FILE);
  const stat = stampOf(join(runDir, METRICS_FILE));
  const cached = CACHING ? loadCache(cacheFile) : undefined;
  if (cached?.header.stamp && stat && sameStamp(cached.header.stamp, stat)) return cached.columns;
  const buf = readFrom(join(runDir, METRICS_FILE), 0);
  const h = cached?.header;
  const valid = h && h.nextByte <= buf.length && crc32(buf.subarray(0, h.nextByte)) === h.coveredCrc;
  const base = valid ? cached.columns : EMPTY;
  const parsed = parseMetricLines(buf.subarray(base.nextByte));
  const columns = parsed.end ? withLines(base, parsed.lines, parsed.badLines, parsed.end) : base;
  const stamp = stat && Date.now() - stat.mtimeMs >= RACY_MS ? stat : null;
  const changed = !valid || parsed.end > 0 || JSON.stringify(h.stamp) !== JSON.stringify(stamp);
  if (write && CACHING && changed && columns.nextByte > 0) {
    const coveredCrc = crc32(buf.subarray(base.nextByte, columns.nextByte), valid ? h.coveredCrc : 0);
    try {
      atomicWriteFileSync(cacheFile, encode(columns, stamp, coveredCrc), false);
    } catch (e) {
      if (!errCode(e)) throw e;
    }
  }
  return columns;
}

function stampOf(file: string): Stamp | undefined {
  try {
    const { ino, size, mtimeMs } = statSync(file);
    return { ino, size, mtimeMs };
  } catch (e) {
    if (errCode(e) === 'ENOENT') return undefined;
    throw e;
  }
}

const sameStamp = (a: Stamp, b: Stamp) => a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs;

/** `c` with `lines` (the next `end` bytes of metrics.jsonl, `badLines` of them unparsable) appended. */
function withLines(c: MetricColumns, lines: MetricLine[], badLines: number, end: number): MetricColumns {
  const n = c.lines + lines.length;
  const added = new Map<string, { rows: number[]; values: number[] }>();
  lines.forEach((l, k) => {
    for (const name in l.metrics) {
      let m = added.get(name);
      if (!m) added.set(name, (m = { rows: [], values: [] }));
      m.rows.push(c.lines + k);
      m.values.push(l.metrics[name]);
    }
  });
  const metrics = new Map<string, MetricColumn>();
  for (const name of new Set([...c.metrics.keys(), ...added.keys()])) {
    const old = c.metrics.get(name) ?? { rows: none, values: none };
    const add = added.get(name) ?? { rows: [], values: [] };
    const values = concat(old.values, add.values);
    // Rows strictly increase, so as many values as lines means every line has the metric.
    metrics.set(name, values.length === n ? { values } : { rows: concat(old.rows ?? Float64Array.from(old.values, (_, i) => i), add.rows), values });
  }
  return {
    lines: n, badLines: c.badLines + badLines, nextByte: c.nextByte + end, metrics,
    epoch: concat(c.epoch, lines.map((l) => l.epoch)),
    step: concat(c.step, lines.map((l) => (typeof l.step === 'number' ? l.step : NaN))),
    time: concat(c.time, lines.map((l) => l.time)),
    lr: concat(c.lr, lines.map((l) => l.lr)),
  };
}

function concat(a: Float64Array, b: number[]): Float64Array {
  const out = new Float64Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

const bodyArrays = (c: MetricColumns): Float64Array[] =>
  [c.epoch, c.step, c.time, c.lr, ...[...c.metrics.values()].flatMap((m) => (m.rows ? [m.rows, m.values] : [m.values]))];

function encode(c: MetricColumns, stamp: Stamp | null, coveredCrc: number): Buffer {
  const body = Buffer.concat(bodyArrays(c).map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength)));
  const metrics = [...c.metrics].map(([name, m]) => ({ name, count: m.values.length }));
  const header: Header = { stamp, coveredCrc, lines: c.lines, badLines: c.badLines, nextByte: c.nextByte, metrics, bodyCrc: crc32(body) };
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - ((MAGIC.length + 4 + Buffer.byteLength(json)) % 8)) % 8);
  const head = Buffer.alloc(MAGIC.length + 4);
  MAGIC.copy(head);
  head.writeUInt32LE(Buffer.byteLength(json), MAGIC.length);
  return Buffer.concat([head, Buffer.from(json), body]);
}

/** The cache's header and columns, or undefined when it is missing, torn, damaged or of another version. */
function loadCache(file: string): { header: Header; columns: MetricColumns } | undefined {
  let buf: Buffer;
  try {
    buf = readFileSync(file);
  } catch (e) {
    if (errCode(e)) return undefined; // missing or unreadable: parse metrics.jsonl instead
    throw e;
  }
  if (buf.length < 12 || !buf.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
  const start = MAGIC.length + 4 + buf.readUInt32LE(MAGIC.length);
  if (start % 8 || start > buf.length || (buf.length - start) % 8) return undefined;
  let h: Header;
  try {
    h = JSON.parse(buf.toString('utf8', MAGIC.length + 4, start)) as Header;
  } catch {
    return undefined;
  }
  const body = buf.subarray(start);
  if (!isHeader(h) || crc32(body) !== h.bodyCrc) return undefined;
  const want = 4 * h.lines + h.metrics.reduce((s, m) => s + (m.count < h.lines ? 2 : 1) * m.count, 0);
  if (body.length !== 8 * want) return undefined;
  // A copy: the Buffer may sit at an offset of its ArrayBuffer that Float64Array cannot view.
  const f64 = new Float64Array(body.buffer.slice(body.byteOffset, body.byteOffset + body.length));
  let at = 0;
  const take = (k: number) => f64.subarray(at, (at += k));
  const [epoch, step, time, lr] = [take(h.lines), take(h.lines), take(h.lines), take(h.lines)];
  const metrics = new Map<string, MetricColumn>();
  for (const { name, count } of h.metrics) metrics.set(name, count < h.lines ? { rows: take(count), values: take(count) } : { values: take(count) });
  return { header: h, columns: { lines: h.lines, badLines: h.badLines, nextByte: h.nextByte, epoch, step, time, lr, metrics } };
}

const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;

function isHeader(h: Header): boolean {
  const stampOk = h?.stamp === null || (typeof h?.stamp === 'object' && [h.stamp.ino, h.stamp.size, h.stamp.mtimeMs].every((v) => typeof v === 'number'));
  return stampOk && [h.coveredCrc, h.lines, h.badLines, h.nextByte, h.bodyCrc].every(isCount) && Array.isArray(h.metrics)
    && h.metrics.every((m) => typeof m?.name === 'string' && isCount(m.count) && m.count > 0 && m.count <= h.lines)
    && new Set(h.metrics.map((m) => m.name)).size === h.metrics.length;
}
