/**
 * The JSON Schema compiled once. Ajv fills `default`s while validating (also inside the
 * discriminated `oneOf` branches, which the spec tests pin down), so the schema stays the only
 * place the default numbers live.
 */
import type { AnySchema, ErrorObject, ValidateFunction } from 'ajv';
import schema from '../../../schema/hone.schema.json';

// verbose: errors carry the offending value and their parent schema, which problems.ts turns
// into "expected ..., found ..." without re-walking the document. strictNumbers: Infinity and NaN are
// not numbers (with strict: false ajv would count Infinity as an integer).
// Loaded and compiled on first use, not at import: ajv's module alone takes ~75 ms to load and the
// compile a few hundred more, which the editor would otherwise pay while activating the extension.
let compiled: ValidateFunction | undefined;
function validator(): ValidateFunction {
  const Ajv: typeof import('ajv').default = require('ajv').default;
  return (compiled ??= new Ajv({ allErrors: true, useDefaults: true, discriminator: true, strict: false, strictNumbers: true, verbose: true }).compile(schema as AnySchema));
}

/** The parsed schema object, for callers that read docs or defaults from it. */
export const SPEC_SCHEMA: Readonly<Record<string, unknown>> = schema;

/**
 * Validates `value` in place: mutates it by filling defaults. Returns ajv's errors (empty when valid).
 */
export function schemaErrors(value: unknown): ErrorObject[] {
  const validate = validator();
  return validate(value) ? [] : [...(validate.errors ?? [])];
}
