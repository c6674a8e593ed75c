/**
 * The shape a run.json must have before any view trusts it. One damaged or hand-edited file must not
 * take down `hone ls` for every run, so a record is checked field by field once, where it is read.
 */
import { FINAL_STATUSES, type RunStatus } from './types';

type Kind = 'string' | 'number' | 'boolean' | 'object' | 'string[]' | 'object[]' | 'numbers';

const STATUSES: readonly RunStatus[] = ['queued', 'running', ...FINAL_STATUSES];

/** Fields every record has, and the type each must have. */
const REQUIRED: Record<string, Kind> = {
  id: 'string', name: 'string', experiment: 'string', status: 'string', created: 'string',
  host: 'string', spec: 'object', overrides: 'string[]', versions: 'object',
  epochsDone: 'number', epochsPlanned: 'number', seed: 'number',
};

/** Optional fields: absent, or of this type. */
const OPTIONAL: Record<string, Kind> = {
  kind: 'string', specPath: 'string', started: 'string', finished: 'string', heartbeat: 'string',
  pid: 'number', pidStart: 'string', message: 'string', bestEpoch: 'number', parent: 'string',
  backend: 'object', timings: 'object', model: 'object', sweep: 'object', revived: 'object',
  parentRemoved: 'object', federatedOrigin: 'object', provenance: 'object', tags: 'string[]', note: 'string', starred: 'boolean',
  latest: 'numbers', final: 'numbers', best: 'numbers', resumed: 'object[]', robustness: 'object',
};

// Metric maps hold numbers, or the strings stringifyJson writes for non-finite ones.
const isMetric = (v: unknown) => typeof v === 'number' || v === 'NaN' || v === 'Infinity' || v === '-Infinity';

function hasKind(v: unknown, kind: Kind): boolean {
  const isObject = v !== null && typeof v === 'object' && !Array.isArray(v);
  switch (kind) {
    case 'object': return isObject;
    case 'string[]': return Array.isArray(v) && v.every((x) => typeof x === 'string');
    case 'object[]': return Array.isArray(v) && v.every((x) => hasKind(x, 'object'));
    case 'numbers': return isObject && Object.values(v as object).every(isMetric);
    default: return typeof v === kind;
  }
}

const describe = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v);
const wrongType = (field: string, kind: Kind, v: unknown) =>
  `field '${field}' should be ${kind === 'numbers' ? 'a map of numbers' : `a ${kind}`}, found ${describe(v)}`;

/** What is wrong with a parsed run.json, or undefined when it is a usable record. */
export function recordProblem(raw: unknown): string | undefined {
  if (!hasKind(raw, 'object')) return `expected an object, found ${describe(raw)}`;
  const r = raw as Record<string, unknown>;
  for (const [field, kind] of Object.entries(REQUIRED)) {
    if (!(field in r)) return `field '${field}' is missing`;
    if (!hasKind(r[field], kind)) return wrongType(field, kind, r[field]);
  }
  for (const [field, kind] of Object.entries(OPTIONAL)) {
    if (r[field] !== undefined && !hasKind(r[field], kind)) return wrongType(field, kind, r[field]);
  }
  if (!STATUSES.includes(r.status as RunStatus)) return `status '${String(r.status).slice(0, 40)}' is none of ${STATUSES.join(', ')}`;
  return undefined;
}
