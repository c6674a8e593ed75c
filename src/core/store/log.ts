import { appendFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { LOG_FILE } from './paths';
import { readFrom } from './metrics';

/** Appends `text` verbatim to `<runDir>/log.txt` (callers include their own newlines). */
export function appendLog(runDir: string, text: string | Uint8Array): void {
  appendFileSync(join(runDir, LOG_FILE), text);
}

/**
 * The last `maxBytes` (default 64 KiB) of `<runDir>/log.txt`; '' when there is none. When the tail starts
 * mid-file it is cut after the first newline, so it never begins with half a line or half a character.
 */
export function readLogTail(runDir: string, maxBytes = 64 * 1024): string {
  const path = join(runDir, LOG_FILE);
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    return '';
  }
  const from = Math.max(0, size - maxBytes);
  let buf = readFrom(path, from).subarray(0, maxBytes);
  if (from > 0) {
    const nl = buf.indexOf(0x0a);
    if (nl >= 0) buf = buf.subarray(nl + 1);
  }
  return buf.toString('utf8');
}
