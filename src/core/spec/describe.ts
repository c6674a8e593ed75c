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

/** `a number`, `an integer >= 1`, `a number in [0, 1)`: the type with any numeric bounds of `node`. */
export function describeNumber(node: SchemaNode): string {
  const types = Array.isArray(node.type) ? node.type : [node.type];
  const kind = types.includes('integer') && !types.includes('number') ? 'an integer' : 'a number';
  const lo = typeof node.exclusiveMinimum === 'number' ? { v: node.exclusiveMinimum, open: true }
    : typeof node.minimum === 'number' ? { v: node.minimum, open: false } : undefined;
  const hi = typeof node.exclusiveMaximum === 'number' ? { v: node.exclusiveMaximum, open: true }
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

export function describeEnum(values: readonly unknown[]): string {
  return `one of: ${values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ')}`;
}

const MAX_FOUND = 60;

/** The JSON of a found value, cut to about 60 characters; `nothing` when absent. */
export function showFound(value: unknown): string {
  if (value === undefined) return 'nothing';
  const json = JSON.stringify(value) ?? String(value);
  return json.length <= MAX_FOUND ? json : `${json.slice(0, MAX_FOUND - 3)}...`;
}
