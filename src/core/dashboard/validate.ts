/**
 * Runtime checks for messages coming from the webview: a webview is untrusted input (a compromised page
 * or a stale one from an older version), so nothing it sends is used before it passes here. Errors name
 * the JSON path of the offending field.
 */
import { MAX_WATCHED, REVEALABLE, type WebviewMessage } from './protocol';

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/** Run ids as the store makes them (`runDirOf` accepts no other): no separators, never `.` or `..`. */
export const isRunId = (v: unknown): v is string =>
  typeof v === 'string' && v.length <= 100 && /^[\w.-]+$/.test(v) && v !== '.' && v !== '..';

const show = (v: unknown): string => {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 60 ? `${s.slice(0, 57)}...` : s;
};

type Check = (v: unknown, path: string) => string | undefined;

const runId: Check = (v, path) => (isRunId(v) ? undefined : `${path}: expected a run id (letters, digits, '.', '_', '-'), found ${show(v)}`);

const runIds: Check = (v, path) => {
  if (!Array.isArray(v)) return `${path}: expected an array of run ids, found ${show(v)}`;
  if (v.length > MAX_WATCHED) return `${path}: expected at most ${MAX_WATCHED} run ids, found ${v.length}`;
  for (let i = 0; i < v.length; i++) {
    const e = runId(v[i], `${path}[${i}]`);
    if (e) return e;
  }
  return undefined;
};

const oneOf = (values: readonly string[]): Check => (v, path) =>
  typeof v === 'string' && values.includes(v) ? undefined : `${path}: expected one of ${values.join(', ')}, found ${show(v)}`;

/** The fields of each message type; every one is required and no other is allowed. */
const SHAPES: Record<WebviewMessage['type'], Record<string, Check>> = {
  ready: {},
  watch: { runIds },
  detail: { runId },
  reveal: { runId, file: oneOf(REVEALABLE) },
};

/** `raw` as a `WebviewMessage`, or the first problem found, e.g. `message.runIds[2]: expected a run id ...`. */
export function parseWebviewMessage(raw: unknown): Parsed<WebviewMessage> {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return { ok: false, error: `message: expected an object, found ${show(raw)}` };
  const msg = raw as Record<string, unknown>;
  const type = msg.type;
  if (typeof type !== 'string' || !Object.hasOwn(SHAPES, type)) {
    return { ok: false, error: `message.type: expected one of ${Object.keys(SHAPES).join(', ')}, found ${show(type)}` };
  }
  const shape = SHAPES[type as WebviewMessage['type']];
  for (const key of Object.keys(msg)) {
    if (key !== 'type' && !Object.hasOwn(shape, key)) return { ok: false, error: `message.${key}: not a field of '${type}'` };
  }
  for (const [key, check] of Object.entries(shape)) {
    const error = check(msg[key], `message.${key}`);
    if (error) return { ok: false, error };
  }
  return { ok: true, value: msg as WebviewMessage };
}
