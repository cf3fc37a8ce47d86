/** The result of checking a document against the official OpenAPI schema. */
export interface OpenApiValidation {
  valid: boolean;
  version?: string;
  errors?: unknown;
}

/** Returns whether `doc` is valid OpenAPI (3.1 here), checked by an independent validator. */
export async function validateOpenApi(doc: unknown): Promise<OpenApiValidation> {
  // ESM-only package: a dynamic import works from this CommonJS project.
  const { Validator } = await import('@seriousme/openapi-schema-validator');
  const validator = new Validator();
  const result = await validator.validate(structuredClone(doc) as Parameters<typeof validator.validate>[0]);
  return { valid: result.valid, version: validator.version, ...(result.valid ? {} : { errors: result.errors }) };
}
