import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { Format } from 'typebox/format';
import { recordFormatRegistry } from './format-registries';

// The formats these validators check are this copy of TypeBox's: the plan and the bundle generator read them
// here, the app's own (`Format.Set`) included (./format-registries.ts).
recordFormatRegistry(Format);

/** TypeBox's raw validation error (`keyword`, JSON pointers, `params`, English `message`). */
export interface RawError {
  keyword: string;
  schemaPath: string;
  instancePath: string;
  params: Record<string, unknown>;
  message: string;
}

/** What validation needs of a compiled schema: TypeBox's `Check`, `Errors` and `Default`, with their semantics. */
export interface SchemaValidator {
  /** Returns true when `value` is valid. */
  Check(value: unknown): boolean;
  /** Returns TypeBox's errors for `value` (empty when it is valid). */
  Errors(value: unknown): RawError[];
  /** Fills the schema's defaults into `value` (mutating it) and returns the result, as TypeBox's `Value.Default`. */
  Default(value: unknown): unknown;
}

/**
 * Returns the validator of `schema` (a route's schema, its `$id`s already removed). Here, in the
 * source (tests, `npm start`), it is TypeBox's JIT compiler. In the Lambda bundle this module is
 * replaced by validators generated at build time from the app's routes (infra/src/bundle/validators.ts):
 * the same `Check` code TypeBox would compile, defaults as code, TypeBox's error engine for `Errors`,
 * so neither the schema compiler nor its work is part of a cold start.
 */
export function validatorFor(schema: TSchema): SchemaValidator {
  return Compile(schema) as unknown as SchemaValidator;
}
