/**
 * Runtime checks for messages coming from the webview: a webview is untrusted input (a compromised page
 * or a stale one from an older version), so nothing it sends is used before it passes here. Errors name
 * the JSON path of the offending field.
 */
import { MAX_WATCHED, REVEALABLE, type WebviewMessage } from './protocol';
import { tagProblem } from '../store/annotations';

/** The longest note the store keeps (store/annotations.ts checks it again). */
const MAX_NOTE = 10_000;

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

/** Tags as the store takes them (store/annotations.ts says why one is refused): at most 20 per message. */
const tags: Check = (v, path) => {
  if (!Array.isArray(v) || v.length > 20) return `${path}: expected an array of at most 20 tags, found ${show(v)}`;
  for (let i = 0; i < v.length; i++) {
    const problem = typeof v[i] === 'string' ? tagProblem(v[i] as string) : 'a string';
    if (problem) return `${path}[${i}]: expected ${problem}, found ${show(v[i])}`;
  }
  return undefined;
};

const note: Check = (v, path) => (typeof v === 'string' && v.length <= MAX_NOTE ? undefined : `${path}: expected a note of at most ${MAX_NOTE} characters, found ${show(v)}`);
const boolean: Check = (v, path) => (typeof v === 'boolean' ? undefined : `${path}: expected true or false, found ${show(v)}`);
/** A field that may be left out; when present it must pass `check`. */
const optional = (check: Check): Check & { optional: true } => Object.assign((v: unknown, path: string) => check(v, path), { optional: true as const });

/** The fields of each message type; each is required unless `optional`, and no other is allowed. */
const SHAPES: Record<WebviewMessage['type'], Record<string, Check & { optional?: true }>> = {
  ready: {},
  watch: { runIds },
  detail: { runId },
  reveal: { runId, file: oneOf(REVEALABLE) },
  openFile: { runId, file: oneOf(REVEALABLE) },
  annotate: { runId, addTags: optional(tags), removeTags: optional(tags), note: optional(note), starred: optional(boolean) },
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
    if (check.optional && msg[key] === undefined) continue;
    const error = check(msg[key], `message.${key}`);
    if (error) return { ok: false, error };
  }
  if (type === 'annotate' && !['addTags', 'removeTags', 'note', 'starred'].some((k) => msg[k] !== undefined)) {
    return { ok: false, error: 'message: expected at least one of addTags, removeTags, note, starred in annotate, found none' };
  }
  return { ok: true, value: msg as WebviewMessage };
}
