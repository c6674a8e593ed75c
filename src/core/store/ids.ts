import { randomBytes } from 'node:crypto';

const pad = (n: number): string => String(n).padStart(2, '0');

/**
 * A new run id `YYYYMMDD-HHMMSS-<6 hex>`, e.g. `20240131-142501-9f3a0c`. The time is UTC so ids sort by
 * creation time whatever the machine's time zone or DST; the 24 random bits keep ids unique between
 * processes that start runs in the same second (`createRun` still retries on the rare collision).
 */
export function newRunId(now: Date = new Date()): string {
  const date = `${now.getUTCFullYear()}${pad(now.getUTCMonth() + 1)}${pad(now.getUTCDate())}`;
  const time = `${pad(now.getUTCHours())}${pad(now.getUTCMinutes())}${pad(now.getUTCSeconds())}`;
  return `${date}-${time}-${randomBytes(3).toString('hex')}`;
}
