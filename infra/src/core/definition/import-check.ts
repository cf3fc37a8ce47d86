import type { ErrorObject, ValidateFunction } from 'ajv';
// The OpenAPI Initiative's JSON Schema of OpenAPI 3.0.x documents (https://spec.openapis.org/oas/3.0/schema/2021-09-28,
// a draft-04 schema, as @seriousme/openapi-schema-validator ships it), compiled by Ajv (draft-04, all errors, formats
// not checked) ahead of time: infra/scripts/generate-validators.cjs wrote the module, and says why.
import openApi30Validator from './openapi-3.0.generated';
import type { GatewaySpec } from '../plan/types';
import type { ApiDefinition } from './types';
import { ImportWarningError } from '../../errors';

/*
 * What API Gateway's import would warn about, refused before anything is deployed.
 *
 * The RestApi imports its body with `failOnWarnings: true` (infra/src/pulumi/component.ts): a warning rolls the
 * whole update back instead of leaving out, in silence, what the import could not take ("Errors and warnings from
 * importing your API into API Gateway": "warnings can be generated for minor issues like a missing model
 * reference"; hashicorp/terraform-provider-aws#17971, #22674: the provider never shows them). So that a clean
 * preview means a clean import, every definition is checked here, where the component, `synth`, `start` and
 * `openapi` all build it (buildApiDefinition), for what the import is known to warn about
 * (docs/apigateway-behaviour.md §14):
 *
 * - anything that is not valid OpenAPI 3.0: the import reports its parser's findings as warnings, in the parser's
 *   words ("Parse issue: attribute components.invalid_key_will_warn is unexpected": an unknown attribute under
 *   `components` fails terraform-provider-aws's acceptance test TestAccAPIGatewayRestAPI_failOnWarnings with
 *   "Warnings found during import"). Checked against the OpenAPI Initiative's JSON Schema of 3.0 documents;
 * - a `$ref` naming no model ("Reference to model 'X' not found. Ignoring.", recorded in a failed import);
 * - a request or response schema that is not a model reference: the import makes models of `components.schemas`
 *   only, and skips an inline schema ("Unsupported model type 'StringSchema' in 201 response to method
 *   'POST /events'. Ignoring.", recorded).
 *
 * Two operations with one operationId are refused earlier, by the plan (infra/src/core/plan/plan.ts).
 */

const validate = openApi30Validator as unknown as ValidateFunction;

/**
 * Throws an ImportWarningError, naming the route (or the part of the API) and the fix, for the first thing in
 * `definition` that API Gateway's import would warn about (the list above). `spec` is the plan the
 * definition was built from: it names a path's route as the app wrote it (`GET /parcels/:id`) and a model's route.
 */
export function checkImportable(definition: ApiDefinition, spec: Pick<GatewaySpec, 'methods'>): void {
  checkModelReferences(definition, spec);
  if (validate(definition)) return;
  const error = mostSpecific(validate.errors ?? []);
  const at = error?.instancePath ?? '';
  const where = whereIs(at, spec);
  const extra = error?.params && 'additionalProperty' in error.params ? String(error.params.additionalProperty) : undefined;
  const detail = error ? `${error.message ?? 'is invalid'}${extra !== undefined ? ` ("${extra}")` : ''}` : 'is invalid';
  throw new ImportWarningError(
    where,
    at,
    `${capitalize(where)}: the API definition is not valid OpenAPI 3.0 at ${at || '/'} (${detail}), which API Gateway's import reports as a warning, and a warning stops the deployment (failOnWarnings). Fix: ${fixFor(at, extra)}`,
  );
}

/** Every `$ref` names a model of `components.schemas`, and every request and response body is such a reference. */
function checkModelReferences(definition: ApiDefinition, spec: Pick<GatewaySpec, 'methods'>): void {
  const models = definition.components?.schemas ?? {};
  for (const [path, operations] of Object.entries(definition.paths)) {
    for (const [verb, op] of Object.entries(operations)) {
      const bodies: Array<[string, unknown]> = [];
      for (const [type, media] of Object.entries(op.requestBody?.content ?? {})) bodies.push([`/requestBody/content/${escape(type)}/schema`, media.schema]);
      for (const [status, response] of Object.entries(op.responses ?? {})) {
        for (const [type, media] of Object.entries(response.content ?? {})) bodies.push([`/responses/${status}/content/${escape(type)}/schema`, media.schema]);
      }
      for (const [pointer, schema] of bodies) {
        const at = `/paths/${escape(path)}/${verb}${pointer}`;
        const where = whereIs(at, spec);
        const ref = (schema as { $ref?: unknown } | undefined)?.$ref;
        if (typeof ref !== 'string') {
          throw new ImportWarningError(
            where,
            at,
            `${capitalize(where)}: its schema at ${at} is not a reference to a model, and API Gateway's import skips such a schema with a warning ("Unsupported model type ... Ignoring."), which stops the deployment (failOnWarnings). Fix: declare the schema as a model (components.schemas) and refer to it with $ref.`,
          );
        }
        const name = /^#\/components\/schemas\/(.+)$/.exec(ref)?.[1];
        if (name === undefined || !Object.hasOwn(models, name)) {
          throw new ImportWarningError(
            where,
            at,
            `${capitalize(where)}: its schema at ${at} refers to ${JSON.stringify(ref)}, which is not a model of the API, and API Gateway's import ignores it with a warning ("Reference to model ... not found. Ignoring."), which stops the deployment (failOnWarnings). Fix: refer to a model of components.schemas (#/components/schemas/<Name>).`,
          );
        }
      }
    }
  }
}

/** The error that says most: the deepest, and not a `oneOf`/`anyOf` summary when a specific one is there. */
function mostSpecific(errors: readonly ErrorObject[]): ErrorObject | undefined {
  const depth = (e: ErrorObject) => e.instancePath.split('/').length;
  const summary = (e: ErrorObject) => e.keyword === 'oneOf' || e.keyword === 'anyOf' || e.keyword === 'not';
  return [...errors].sort((a, b) => depth(b) - depth(a) || Number(summary(a)) - Number(summary(b)))[0];
}

/** Names what a JSON pointer of the definition is in: a route (`route GET /parcels/:id`), a preflight, a model's route, the API. */
export function whereIs(at: string, spec: Pick<GatewaySpec, 'methods'>): string {
  const parts = at.split('/').slice(1).map(unescape);
  if (parts[0] === 'paths' && parts[1] !== undefined) {
    const verb = parts[2]?.toUpperCase();
    const method = spec.methods.find((m) => m.resourcePath === parts[1] && m.method === verb);
    if (method) return `route ${method.method} ${method.koaPath}`;
    if (verb === 'OPTIONS') return `the CORS preflight of ${parts[1]}`;
    return `path ${parts[1]}`;
  }
  if (parts[0] === 'components' && parts[1] === 'schemas' && parts[2] !== undefined) {
    const model = parts[2];
    const user = spec.methods.find((m) => Object.values(m.requestModels).includes(model) || Object.values(m.responses).includes(model));
    return user ? `route ${user.method} ${user.koaPath} (its model ${model})` : `the model ${model}`;
  }
  if (parts[0] === 'info') return "the API's info (the app descriptor's title and version)";
  return 'the API definition';
}

/** The fix for a finding at `at` (`unexpected`: the attribute that has no place there), by what is there. */
function fixFor(at: string, unexpected: string | undefined): string {
  const parts = at.split('/').slice(1).map(unescape);
  const last = parts.at(-1);
  if (parts[0] === 'info') return "give the app descriptor a title and a version that are non-empty strings (defineApp({ title, version }))";
  if (parts[0] === 'components' && parts[1] === 'schemas') {
    return unexpected !== undefined
      ? `remove "${unexpected}" from the schema: the OpenAPI 3.0 Schema Object has no such keyword`
      : 'correct the schema so that every keyword has the type JSON Schema draft-04 gives it (OpenAPI 3.0 Schema Object), e.g. a boolean exclusiveMinimum, a non-empty required list of strings';
  }
  if (parts[3] === 'responses') return 'declare responses by HTTP status code, 100 to 599 (responses: { 200: Schema, 404: null })';
  if (last === 'operationId' || last === 'summary' || last === 'description') return `give the route's ${last} as a string`;
  if (parts[3] === 'tags') return "give the route's tags as a list of distinct strings";
  if (parts[3] === 'parameters') return "declare the route's query, params and headers as Type.Object({...}) with one property per parameter";
  return "correct the route's declaration so that the API definition is valid OpenAPI 3.0 (https://spec.openapis.org/oas/v3.0.3)";
}

/** JSON pointer escaping (RFC 6901 §3): `~` → `~0`, `/` → `~1`. */
function escape(segment: string): string {
  return segment.replaceAll('~', '~0').replaceAll('/', '~1');
}

function unescape(segment: string): string {
  return segment.replaceAll('~1', '/').replaceAll('~0', '~');
}

function capitalize(text: string): string {
  return text[0]!.toUpperCase() + text.slice(1);
}
