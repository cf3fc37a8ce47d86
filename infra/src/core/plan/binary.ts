import { RouteError } from '../../errors';
import { coversJson } from '../../media-type';
import type { BinaryMedia } from '../../route/declaration';
import type { GatewaySpec, MethodSpec } from './types';

/**
 * A binary media type as API Gateway's `binaryMediaTypes` take it: `type/subtype` of RFC 9110 §8.3.1 tokens, or the
 * wildcards `type/*` and `*\/*` (developer guide, "Working with binary media types for REST APIs"); no parameters.
 */
export const BINARY_MEDIA_TYPE = /^(?:\*\/\*|[A-Za-z0-9!#$&^_.+-]+\/(?:\*|[A-Za-z0-9!#$&^_.+-]+))$/;

/**
 * Returns a route's `binary` declaration as the plan keeps it (MethodSpec `binary`: lower-cased, deduplicated, response
 * statuses as strings), or undefined when it declares no media type. Throws a RouteError naming the route (`label`,
 * `METHOD /path`) and the fix for a media type that is not `type/subtype` or `type/*`, for a status that is not an
 * HTTP status code, and for a binary request body declared with a `body` schema (bytes are not validated as JSON);
 * also for a `binary` that is not an object or names a key other than `requestBody` and `responses` (a misspelt
 * `request:` would otherwise declare nothing, silently), an empty `requestBody` list, and a `requestBody` on a method
 * whose requests carry no body (`method`: GET, HEAD, DELETE, OPTIONS; RFC 9110 §9.3 gives their content no meaning).
 */
export function planBinary(binary: BinaryMedia | undefined, hasBodySchema: boolean, label: string, method?: string): MethodSpec['binary'] {
  if (binary === undefined || binary === null) return undefined;
  const keep = '`pulumi preview`/`pulumi up` refuse the route until then.';
  if (typeof binary !== 'object' || Array.isArray(binary)) {
    throw new RouteError(`Route ${label}: binary must be an object, e.g. { requestBody: ['application/octet-stream'] } or { responses: { 200: ['image/png'] } }; ${keep}`);
  }
  const unknown = Object.keys(binary).filter((k) => k !== 'requestBody' && k !== 'responses');
  if (unknown.length > 0) {
    throw new RouteError(`Route ${label}: binary has ${unknown.map((k) => `"${k}"`).join(', ')}, which is not a key of it: binary takes requestBody (the request body's media types) and responses (by status). Fix: rename ${unknown.length > 1 ? 'them' : 'it'}, e.g. binary: { requestBody: ['application/octet-stream'] }; ${keep}`);
  }
  if (Array.isArray(binary.requestBody) && binary.requestBody.length === 0) {
    throw new RouteError(`Route ${label}: binary.requestBody is an empty list, which declares no media type. Fix: list the request body's media types, e.g. ['application/octet-stream'], or remove binary.requestBody; ${keep}`);
  }
  if (binary.requestBody !== undefined && method !== undefined && BODILESS.has(method.toUpperCase())) {
    throw new RouteError(`Route ${label}: binary.requestBody on a ${method.toUpperCase()} route, whose requests carry no body (RFC 9110 §9.3). Fix: declare the route as POST, PUT or PATCH, or remove binary.requestBody; ${keep}`);
  }
  const check = (types: readonly string[] | undefined, where: string): string[] => {
    if (types !== undefined && !Array.isArray(types)) throw new RouteError(`Route ${label}: binary.${where} must be a list of media types, e.g. ['image/png']; \`pulumi preview\`/\`pulumi up\` refuse the route until then.`);
    for (const type of types ?? []) {
      if (typeof type !== 'string' || !BINARY_MEDIA_TYPE.test(type)) {
        throw new RouteError(`Route ${label}: binary.${where} names ${JSON.stringify(type)}, which is not a media type API Gateway can treat as binary. Fix: write type/subtype or type/* without parameters, e.g. 'image/png'; \`pulumi preview\`/\`pulumi up\` refuse the route until then.`);
      }
    }
    return [...new Set((types ?? []).map((t) => t.toLowerCase()))].sort();
  };
  const requestBody = check(binary.requestBody, 'requestBody');
  if (requestBody.length > 0 && hasBodySchema) {
    throw new RouteError(`Route ${label} declares both a body schema and binary.requestBody (${requestBody.join(', ')}): a binary body is bytes, not JSON, and is not validated against a schema. Fix: remove body, or binary.requestBody; \`pulumi preview\`/\`pulumi up\` refuse the route until then.`);
  }
  const responses: Record<string, string[]> = {};
  for (const [status, types] of Object.entries(binary.responses ?? {})) {
    if (!/^[1-5]\d\d$/.test(status)) throw new RouteError(`Route ${label} declares the binary response ${JSON.stringify(status)}, which is not an HTTP status code. Fix: key binary.responses by status code, e.g. { 200: ['image/png'] }; \`pulumi preview\`/\`pulumi up\` refuse the route until then.`);
    const checked = check(types, `responses[${status}]`);
    if (checked.length > 0) responses[status] = checked;
  }
  if (requestBody.length === 0 && Object.keys(responses).length === 0) return undefined;
  return { ...(requestBody.length > 0 ? { requestBody } : {}), ...(Object.keys(responses).length > 0 ? { responses } : {}) };
}

/** Methods whose requests carry no body a route may declare (RFC 9110 §9.3.1, §9.3.2, §9.3.5, §9.3.7: no defined semantics). */
const BODILESS = new Set(['GET', 'HEAD', 'DELETE', 'OPTIONS']);

/**
 * Returns a warning (for `pulumi preview` and `npm start`) for each binary media type, declared by a route (named
 * `METHOD /path`) or the stack's `binaryMediaTypes` setting (`settingKey`, e.g. `koa-apigateway:binaryMediaTypes`),
 * that covers JSON (`*\/*`, `application/*`, `application/json`, `application/*+json`, `text/*`: coversJson): API
 * Gateway applies the types to the whole API, so every JSON request body reaches the functions base64-encoded and a
 * JSON client whose Accept matches gets base64 text (docs/binary.md). Empty when there is none.
 */
export function binaryMediaTypeWarnings(methods: readonly MethodSpec[], setting: readonly string[], settingKey = 'binaryMediaTypes'): string[] {
  const warnings: string[] = [];
  const consequence = 'API Gateway applies binary media types to the whole API: every route\'s JSON request body reaches the function base64-encoded, and a client whose first Accept type matches gets base64 text instead of JSON (docs/binary.md).';
  for (const m of methods) {
    const types = [...(m.binary?.requestBody ?? []), ...Object.values(m.binary?.responses ?? {}).flat()].filter(coversJson);
    for (const type of [...new Set(types)]) {
      warnings.push(`Route ${m.method} ${m.resourcePath} declares "${type}" as a binary media type. ${consequence} Fix: declare the binary types the route really carries, e.g. 'image/png' or 'application/octet-stream'.`);
    }
  }
  for (const type of setting.filter(coversJson)) {
    warnings.push(`Config "${settingKey}" names "${type}". ${consequence} Fix: pulumi config set binaryMediaTypes with the binary types the app really serves, e.g. 'application/pdf,image/png'.`);
  }
  return warnings;
}

/** Returns every media type the methods' `binary` declarations name, deduplicated and sorted (GatewaySpec `binaryMediaTypes`). */
export function routeBinaryMediaTypes(methods: readonly MethodSpec[]): string[] {
  const all = new Set<string>();
  for (const m of methods) {
    for (const t of m.binary?.requestBody ?? []) all.add(t);
    for (const types of Object.values(m.binary?.responses ?? {})) for (const t of types) all.add(t);
  }
  return [...all].sort();
}

/**
 * Returns the API's binary media types: those its routes declare (`spec.binaryMediaTypes`) and the stack's
 * `binaryMediaTypes` setting, lower-cased, deduplicated, sorted. What the definition deploys
 * (`x-amazon-apigateway-binary-media-types`), what every function is told (BINARY_MEDIA_TYPES) and what the local
 * gateway converts by (docs/apigateway-behaviour.md §5.5, §6.8). Empty: the API has none.
 */
export function binaryMediaTypesOf(spec: Pick<GatewaySpec, 'binaryMediaTypes'>, setting: readonly string[] = []): string[] {
  return [...new Set([...(spec.binaryMediaTypes ?? []), ...setting.map((t) => t.toLowerCase())])].sort();
}
