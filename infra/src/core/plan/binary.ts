import { RouteError } from '../../errors';
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
 * HTTP status code, and for a binary request body declared with a `body` schema (bytes are not validated as JSON).
 */
export function planBinary(binary: BinaryMedia | undefined, hasBodySchema: boolean, label: string): MethodSpec['binary'] {
  if (!binary) return undefined;
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
