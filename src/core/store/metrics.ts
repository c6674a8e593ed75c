import { appendFileSync, closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { errCode } from './fs-util';
import { stringifyJson, toNumber, toNumberMap } from './numbers';
import { METRICS_FILE } from './paths';
import type { MetricLine } from './types';

/**
 * Appends one line to `<runDir>/metrics.jsonl`. One `appendFileSync` per line, so a process killed at any
 * moment leaves every line it finished; a torn last line is skipped by `readMetrics`.
 */
export function appendMetric(runDir: string, line: MetricLine): void {
  appendFileSync(join(runDir, METRICS_FILE), stringifyJson(line) + '\n');
}

/** Reads the bytes of `path` from `fromByte` to its current end; empty when the file is missing. */
export function readFrom(path: string, fromByte: number): Buffer {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    if (errCode(e) === 'ENOENT') return Buffer.alloc(0);
    throw e;
  }
  try {
    const size = fstatSync(fd).size;
    const buf = Buffer.alloc(Math.max(0, size - fromByte));
    let got = 0;
    while (got < buf.length) {
      const n = readSync(fd, buf, got, buf.length - got, fromByte + got);
      if (n === 0) break;
      got += n;
    }
    return buf.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}

/**
 * The metric lines of `<runDir>/metrics.jsonl` from byte `fromByte` on, and the offset to pass next time.
 * A trailing line without its newline is still being written (or was torn by a kill): it is left out,
 * `nextByte` stops before it so a tailer picks it up once complete, and `partialBytes` says how long it
 * is. Offsets count bytes, not characters. Complete lines that do not parse (a disk that filled
 * mid-line) are skipped and counted in `badLines`.
 */
export function readMetrics(runDir: string, fromByte = 0): { lines: MetricLine[]; nextByte: number; badLines: number; partialBytes: number } {
  const buf = readFrom(join(runDir, METRICS_FILE), fromByte);
  const { lines, end, badLines } = parseMetricLines(buf);
  return { lines, nextByte: fromByte + end, badLines, partialBytes: buf.length - end };
}

/** The complete lines of `buf` (bytes of metrics.jsonl), as `readMetrics` parses them; `end` is where they stop. */
export function parseMetricLines(buf: Buffer): { lines: MetricLine[]; end: number; badLines: number } {
  const end = buf.lastIndexOf(0x0a) + 1;
  const lines: MetricLine[] = [];
  let badLines = 0;
  for (const text of buf.subarray(0, end).toString('utf8').split('\n')) {
    if (!text.trim()) continue;
    const line = parseMetricLine(text);
    if (line) lines.push(line);
    else badLines++;
  }
  return { lines, end, badLines };
}

/** One line of metrics.jsonl, numbers restored; undefined when it does not parse. */
export function parseMetricLine(text: string): MetricLine | undefined {
  try {
    const raw = JSON.parse(text) as MetricLine;
    if (raw === null || typeof raw !== 'object' || typeof raw.epoch !== 'number') return undefined;
    return { ...raw, time: toNumber(raw.time), lr: toNumber(raw.lr), metrics: toNumberMap(raw.metrics) ?? {} };
  } catch {
    return undefined;
  }
}
