/** Plain-words descriptions of schema constraints and of found values, for SpecProblem texts. */

type SchemaNode = Record<string, unknown>;

const ARTICLE: Record<string, string> = {
  number: 'a number',
  integer: 'an integer',
  string: 'a string',
  boolean: 'a boolean',
  object: 'an object',
  array: 'an array',
  null: 'null',
};

/**
 * `a number`, `an integer >= 1`, `a number in [0, 1)`: the type with the numeric bounds of `node`, or
 * with only the one that was crossed (`side`), so `-1` for an `lr` in (0, 1000] reads `a number > 0`.
 */
export function describeNumber(node: SchemaNode, side?: 'lower' | 'upper'): string {
  const types = Array.isArray(node.type) ? node.type : [node.type];
  const kind = types.includes('integer') && !types.includes('number') ? 'an integer' : 'a number';
  const lo = side === 'upper' ? undefined : typeof node.exclusiveMinimum === 'number' ? { v: node.exclusiveMinimum, open: true }
    : typeof node.minimum === 'number' ? { v: node.minimum, open: false } : undefined;
  const hi = side === 'lower' ? undefined : typeof node.exclusiveMaximum === 'number' ? { v: node.exclusiveMaximum, open: true }
    : typeof node.maximum === 'number' ? { v: node.maximum, open: false } : undefined;
  if (lo && hi) return `${kind} in ${lo.open ? '(' : '['}${lo.v}, ${hi.v}${hi.open ? ')' : ']'}`;
  if (lo) return `${kind} ${lo.open ? '>' : '>='} ${lo.v}`;
  if (hi) return `${kind} ${hi.open ? '<' : '<='} ${hi.v}`;
  return kind;
}

/** `a string or an integer`; a single numeric type also names its bounds. */
export function describeType(type: unknown, node: SchemaNode): string {
  const types = Array.isArray(type) ? type.map(String) : [String(type)];
  if (types.length === 1 && (types[0] === 'number' || types[0] === 'integer')) return describeNumber(node);
  if (types.length === 1 && types[0] === 'string' && node.minLength === 1) return 'a non-empty string';
  return types.map((t) => ARTICLE[t] ?? t).join(' or ');
}

const MAX_LISTED = 12;
const MAX_FOUND = 60;

/** `one of: a, b, c`; a long list names its first 12 values and how many more there are. */
export function describeEnum(values: readonly unknown[]): string {
  const shown = values.slice(0, MAX_LISTED).map((v) => (typeof v === 'string' ? cut(v, MAX_FOUND) : showFound(v)));
  const more = values.length > MAX_LISTED ? `, ... (${values.length - MAX_LISTED} more)` : '';
  return `one of: ${shown.join(', ')}${more}`;
}

const cut = (text: string, max: number): string => (text.length <= max ? text : `${text.slice(0, max - 3)}...`);

/**
 * JSON text of `value`, written only until it is `max` characters long, so a huge value costs no more
 * than a small one. Non-finite numbers show as `Infinity`, `-Infinity` or `NaN` (JSON.stringify would
 * write `null`, which is not what anyone wrote).
 */
function preview(value: unknown, max: number): string {
  let out = '';
  const visit = (v: unknown, depth: number): void => {
    if (out.length >= max) return;
    if (typeof v === 'number') out += Number.isFinite(v) ? JSON.stringify(v) : String(v);
    else if (typeof v === 'string') out += JSON.stringify(v.slice(0, max));
    else if (typeof v !== 'object' || v === null) out += JSON.stringify(v) ?? String(v);
    else if (depth > 64) out += '...';
    else if (Array.isArray(v)) {
      out += '[';
      for (let i = 0; i < v.length && out.length < max; i++) {
        if (i > 0) out += ',';
        visit(v[i], depth + 1);
      }
      out += ']';
    } else {
      out += '{';
      let first = true;
      for (const k in v) {
        if (out.length >= max) break;
        if (!Object.prototype.hasOwnProperty.call(v, k)) continue;
        out += `${first ? '' : ','}${JSON.stringify(k.slice(0, max))}:`;
        first = false;
        visit((v as Record<string, unknown>)[k], depth + 1);
      }
      out += '}';
    }
  };
  visit(value, 0);
  return out;
}

/** The JSON of a found value, cut to about 60 characters; `nothing` when absent. */
export function showFound(value: unknown): string {
  if (value === undefined) return 'nothing';
  return cut(preview(value, MAX_FOUND + 1), MAX_FOUND);
}
