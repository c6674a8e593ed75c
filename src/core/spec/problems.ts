/**
 * Turns ajv errors into SpecProblems a person can act on, and drops the noise ajv adds around
 * them (a wrong `source` tag reports only the tag, not every branch it failed).
 */
import type { ErrorObject } from 'ajv';
import type { SpecProblem } from './types';
import { ancestorsOf, joinPath, pointerToPath, withinAny } from './paths';
import { describeEnum, describeNumber, describeType, showFound } from './describe';
import { closest, didYouMean } from './suggest';

type SchemaNode = Record<string, unknown>;

/** Tag values of a discriminated `oneOf`: each branch has `properties[tag].const`. */
function tagsOf(node: SchemaNode, tag: string): string[] {
  const branches = (node.oneOf as SchemaNode[] | undefined) ?? [];
  return branches.map((b) => String(((b.properties as SchemaNode)[tag] as SchemaNode).const));
}

/**
 * Which tag each given field belongs to, when the tag itself is missing: `{warmupEpochs: 2}` (as
 * `--set train.schedule.warmupEpochs=2` writes it) reads "warmupEpochs needs type cosine", so the person
 * knows the tag to add. There is no default tag to fill instead: each field belongs to one kind only.
 * Fields every kind has, or none, say nothing; at most 3 fields are named.
 */
function tagHint(node: SchemaNode, tag: string, data: unknown): string {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return '';
  const branches = (node.oneOf as SchemaNode[] | undefined) ?? [];
  const hints: string[] = [];
  for (const key of Object.keys(data)) {
    if (key === tag) continue;
    const kinds = tagsOf({ oneOf: branches.filter((b) => Object.hasOwn(b.properties as SchemaNode, key)) }, tag);
    if (kinds.length > 0 && kinds.length < branches.length) hints.push(`${key} needs ${tag} ${kinds.join(' or ')}`);
    if (hints.length === 3) break;
  }
  return hints.length > 0 ? `; ${hints.join(', ')}` : '';
}

function discriminatorTag(node: SchemaNode): string | undefined {
  return (node.discriminator as { propertyName?: string } | undefined)?.propertyName;
}

/** One ajv error as a problem; undefined for wrapper errors that only repeat their children. */
function convert(e: ErrorObject): SpecProblem | undefined {
  const path = pointerToPath(e.instancePath);
  const node = (e.parentSchema ?? {}) as SchemaNode;
  const p = e.params as Record<string, unknown>;
  if (e.propertyName !== undefined) {
    return { path: joinPath(path, e.propertyName), expected: `a property name of at most ${String(p.limit)} characters`, found: showFound(e.propertyName) };
  }
  switch (e.keyword) {
    case 'type':
      return { path, expected: describeType(e.schema, node), found: showFound(e.data) };
    case 'minimum':
    case 'exclusiveMinimum':
      return { path, expected: describeNumber(node, 'lower'), found: showFound(e.data) };
    case 'maximum':
    case 'exclusiveMaximum':
      return { path, expected: describeNumber(node, 'upper'), found: showFound(e.data) };
    case 'enum': {
      const allowed = p.allowedValues as unknown[];
      const hint = didYouMean(e.data, allowed.filter((v): v is string => typeof v === 'string'));
      return { path, expected: describeEnum(allowed) + hint, found: showFound(e.data) };
    }
    case 'const':
      return { path, expected: JSON.stringify(p.allowedValue), found: showFound(e.data) };
    case 'required': {
      const name = String(p.missingProperty);
      const tags = discriminatorTag(node) === name ? ` (${describeEnum(tagsOf(node, name))}${tagHint(node, name, e.data)})` : '';
      return { path: joinPath(path, name), expected: `required property '${name}'${tags}`, found: 'nothing' };
    }
    case 'additionalProperties': {
      const name = String(p.additionalProperty);
      const known = Object.keys((node.properties as SchemaNode | undefined) ?? {});
      const value = (e.data as Record<string, unknown>)[name];
      return { path: joinPath(path, name), expected: `no property '${name}'${didYouMean(name, known)}`, found: showFound(value) };
    }
    case 'discriminator': {
      const tag = String(p.tag);
      // A missing tag is already reported by `required`; only a present but wrong one is news.
      if (p.tagValue === undefined) return undefined;
      const tags = tagsOf(node, tag);
      return { path: joinPath(path, tag), expected: describeEnum(tags) + didYouMean(p.tagValue, tags), found: showFound(p.tagValue) };
    }
    case 'minLength':
      return { path, expected: describeType('string', node), found: showFound(e.data) };
    case 'maxLength':
      return { path, expected: `a string of at most ${String(p.limit)} characters`, found: showFound(e.data) };
    case 'minItems':
      return { path, expected: `an array of at least ${String(p.limit)} item(s)`, found: showFound(e.data) };
    case 'maxItems':
      return { path, expected: `an array of at most ${String(p.limit)} items`, found: `${(e.data as unknown[]).length} items` };
    case 'maxProperties':
      return { path, expected: `at most ${String(p.limit)} properties`, found: `${Object.keys(e.data as object).length} properties` };
    case 'oneOf':
    case 'anyOf':
    case 'if':
      return { path, expected: 'a value matching one of the allowed forms', found: showFound(e.data) };
    default:
      return { path, expected: e.message ?? e.keyword, found: showFound(e.data) };
  }
}

const WRAPPERS = new Set(['oneOf', 'anyOf', 'if', 'propertyNames']);

/**
 * `pointer name` pairs of required properties that a misspelt sibling explains: `{unit: 4}` is
 * reported as "no property 'unit' (did you mean 'units'?)", not also as "required property 'units'".
 */
function typoed(errors: readonly ErrorObject[]): Set<string> {
  const out = new Set<string>();
  for (const e of errors) {
    if (e.keyword !== 'additionalProperties') continue;
    const known = Object.keys(((e.parentSchema as SchemaNode).properties as SchemaNode | undefined) ?? {});
    const meant = closest(String(e.params.additionalProperty), known);
    if (meant !== undefined) out.add(`${e.instancePath} ${meant}`);
  }
  return out;
}

/**
 * All ajv errors as problems, de-duplicated: a type error at a path hides everything else at or
 * below it, and wrapper errors (`oneOf`) are dropped when a more specific error explains them.
 */
export function ajvProblems(errors: readonly ErrorObject[]): SpecProblem[] {
  const typed = new Set(errors.filter((e) => e.keyword === 'type').map((e) => pointerToPath(e.instancePath)));
  // Paths with a specific error at or below them, so a wrapper there is explained.
  const explainedWrappers = new Set(errors.filter((e) => !WRAPPERS.has(e.keyword)).flatMap((e) => [...ancestorsOf(pointerToPath(e.instancePath))]));
  const explained = typoed(errors);
  const out: SpecProblem[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    const at = pointerToPath(e.instancePath);
    if (e.keyword !== 'type' && withinAny(at, typed)) continue;
    if (e.keyword === 'required' && explained.has(`${e.instancePath} ${String(e.params.missingProperty)}`)) continue;
    if (WRAPPERS.has(e.keyword) && explainedWrappers.has(at)) continue;
    const problem = convert(e);
    if (!problem) continue;
    const key = `${problem.path}\u0000${problem.expected}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(problem);
  }
  return out;
}

/**
 * Paths of missing required properties, also those whose problem is not reported (a misspelt sibling
 * explains it): the property is still missing, so semantic checks must not read it.
 */
export function missingPaths(errors: readonly ErrorObject[]): string[] {
  return errors.filter((e) => e.keyword === 'required').map((e) => joinPath(pointerToPath(e.instancePath), String(e.params.missingProperty)));
}
