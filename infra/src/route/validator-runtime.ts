/**
 * The parts of TypeBox the validators generated at build time need at run time (infra/src/bundle/validators.ts):
 * helpers of the generated checks, the format registry, and the error engine. The generated module
 * `require`s this module on the first validation, so an instance woken for `/health` never evaluates TypeBox.
 */
export { Format } from 'typebox/format';
export { Guard } from 'typebox/guard';
export { CheckContext, Errors as SchemaErrors } from 'typebox/schema';
export { Hashing } from 'typebox/system';
