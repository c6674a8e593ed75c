/**
 * The JSON Schema compiled once. Ajv fills `default`s while validating (also inside the
 * discriminated `oneOf` branches, which the spec tests pin down), so the schema stays the only
 * place the default numbers live.
 */
import Ajv, { type AnySchema, type ErrorObject } from 'ajv';
import schema from '../../../schema/hone.schema.json';

// verbose: errors carry the offending value and their parent schema, which problems.ts turns
// into "expected ..., found ..." without re-walking the document.
const ajv = new Ajv({ allErrors: true, useDefaults: true, discriminator: true, strict: false, verbose: true });
const validate = ajv.compile(schema as AnySchema);

/** The parsed schema object, for callers that read docs or defaults from it. */
export const SPEC_SCHEMA: Readonly<Record<string, unknown>> = schema;

/**
 * Validates `value` in place: mutates it by filling defaults. Returns ajv's errors (empty when valid).
 */
export function schemaErrors(value: unknown): ErrorObject[] {
  return validate(value) ? [] : [...(validate.errors ?? [])];
}
