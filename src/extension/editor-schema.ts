/**
 * The editor's copy of the spec schema (`dist/hone.editor.schema.json`, made by scripts/build.mjs and
 * registered through `contributes.jsonValidation`): everything VS Code's JSON language service offers
 * hover and completion from (descriptions, defaults, property lists, values), nothing it would check.
 * Hone's own diagnostics (diagnostics.ts) report every problem, in the CLI's words; were the validation
 * keywords kept, VS Code would report the same mistakes a second time in its generic words ("Value is
 * below the exclusive minimum of 0."), without "did you mean".
 *
 * What the JSON language service completes from: property names from `properties` (with `default` and
 * `examples` as the inserted value), values from `enum`, `const`, `default`, `examples` and
 * `defaultSnippets`. So `enum` and `const` become `examples`, booleans get `examples: [true, false]`, and a
 * discriminated `oneOf` (the `source` of `data`, the `type` of `model`, ...) becomes one `if`/`then` per
 * branch: its properties complete once the tag is written, and no branch is "not matched".
 * Pure: no vscode import, unit-tested.
 */

import { describeEnum, describeType } from '../core/spec/describe';

type Node = Record<string, unknown>;

/** Keywords that only validate: dropped. (`type` also validates; see `valuesOf` for what replaces it.) */
const VALIDATION = new Set([
  'type', 'required', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'minLength', 'maxLength', 'pattern',
  'minItems', 'maxItems', 'uniqueItems', 'minProperties', 'maxProperties', 'multipleOf', 'discriminator', 'enum', 'const', 'not',
  'propertyNames',
]);

const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The values a node completes with: its enum, its const, or true/false for a boolean. */
function valuesOf(n: Node): unknown[] | undefined {
  if (Array.isArray(n.enum)) return n.enum;
  if (n.const !== undefined) return [n.const];
  if (n.type === 'boolean') return [true, false];
  return undefined;
}

/** A discriminated oneOf's tag and each branch's tag value. */
function discriminated(n: Node): { tag: string; branches: { value: unknown; branch: Node }[] } | undefined {
  const tag = isNode(n.discriminator) ? n.discriminator.propertyName : undefined;
  if (typeof tag !== 'string' || !Array.isArray(n.oneOf)) return undefined;
  const branches = n.oneOf.filter(isNode).map((branch) => ({ branch, value: isNode(branch.properties) && isNode(branch.properties[tag]) ? branch.properties[tag].const : undefined }));
  return branches.every((b) => b.value !== undefined) ? { tag, branches } : undefined;
}

const describeValue = (v: unknown, what: unknown) => `- \`${JSON.stringify(v)}\`${typeof what === 'string' ? `: ${what}` : ''}`;

/** The editor schema for `schema` (a JSON Schema, draft-07). */
export function editorSchema(schema: Node): Node {
  return convert(schema, true);
}

/**
 * What the validation keywords said, in the words Hone's problems use (`a number > 0`, `one of: sgd, adam`),
 * with the default, appended to the hover text: the editor shows the rule before the problem does.
 */
function rule(n: Node, required: boolean): string | undefined {
  const parts: string[] = [];
  if (required) parts.push('**Required.**');
  if (Array.isArray(n.enum)) parts.push(`Expected ${describeEnum(n.enum)}.`);
  else if (n.type !== undefined && n.type !== 'object' && n.type !== 'array') parts.push(`Expected ${describeType(n.type, n)}.`);
  if (n.default !== undefined && (typeof n.default !== 'object' || n.default === null)) parts.push(`Default: \`${JSON.stringify(n.default)}\`.`);
  return parts.length ? parts.join(' ') : undefined;
}

function convert(n: Node, root = false, required = false): Node {
  const out: Node = {};
  const requiredHere = Array.isArray(n.required) ? n.required : [];
  for (const [k, v] of Object.entries(n)) {
    if (VALIDATION.has(k)) continue;
    if (k === '$schema' && !root) continue;
    if (k === 'properties') out[k] = isNode(v) ? Object.fromEntries(Object.entries(v).map(([p, s]) => [p, isNode(s) ? convert(s, false, requiredHere.includes(p)) : s])) : v;
    else if (k === 'definitions' || k === '$defs') out[k] = isNode(v) ? Object.fromEntries(Object.entries(v).map(([p, s]) => [p, isNode(s) ? convert(s) : s])) : v;
    else if (k === 'additionalProperties' || k === 'items') {
      // `additionalProperties: false` only validates; a schema there documents the values (sweep parameters).
      if (isNode(v)) out[k] = convert(v);
    } else if (k === 'allOf' || k === 'anyOf') out[k] = Array.isArray(v) ? v.map((s) => (isNode(s) ? convert(s) : s)) : v;
    else if (k === 'oneOf') continue;
    else out[k] = v;
  }
  const values = valuesOf(n);
  if (values && !Array.isArray(out.examples)) out.examples = values;
  const words = rule(n, required);
  const text = typeof n.markdownDescription === 'string' ? n.markdownDescription : typeof n.description === 'string' ? n.description : undefined;
  if (words && !root) out.markdownDescription = text ? `${text}\n\n${words}` : words;
  if (Array.isArray(n.oneOf)) {
    const d = discriminated(n);
    if (d) {
      // The tag completes with every branch's value, each described in its hover.
      const props = isNode(out.properties) ? out.properties : (out.properties = {});
      const tagDocs = d.branches.map((b) => describeValue(b.value, (b.branch.properties as Node)[d.tag] && ((b.branch.properties as Node)[d.tag] as Node).description));
      props[d.tag] = {
        ...(isNode(props[d.tag]) ? props[d.tag] as Node : {}),
        markdownDescription: [`Picks the kind of \`${d.tag}\`:`, '', ...tagDocs].join('\n'),
        examples: d.branches.map((b) => b.value),
      };
      // A branch's properties apply once the tag says so; `required` in the condition keeps a spec
      // without the tag from matching every branch at once.
      out.allOf = [...((out.allOf as unknown[]) ?? []), ...d.branches.map((b) => ({
        if: { properties: { [d.tag]: { const: b.value } }, required: [d.tag] },
        then: convert(b.branch),
      }))];
    } else {
      // Any other oneOf documents alternatives: anyOf, so a value matching several is not flagged.
      out.anyOf = [...((out.anyOf as unknown[]) ?? []), ...n.oneOf.map((s) => (isNode(s) ? convert(s) : s))];
    }
  }
  return out;
}

/** Keywords of `schema` (at any depth) that VS Code would validate with: none may remain in an editor schema. */
export function validationKeywords(schema: unknown, at = '#'): string[] {
  if (Array.isArray(schema)) return schema.flatMap((s, i) => validationKeywords(s, `${at}/${i}`));
  if (!isNode(schema)) return [];
  return Object.entries(schema).flatMap(([k, v]) => {
    // The condition of an `if` validates nothing the user sees: it only picks the branch.
    if (k === 'if' || k === 'examples' || k === 'default') return [];
    if (k === 'properties' || k === 'definitions') return isNode(v) ? Object.entries(v).flatMap(([p, s]) => validationKeywords(s, `${at}/${k}/${p}`)) : [];
    const here = VALIDATION.has(k) || (k === 'additionalProperties' && v === false) || k === 'oneOf' ? [`${at}/${k}`] : [];
    return [...here, ...validationKeywords(v, `${at}/${k}`)];
  });
}
