import { compare } from '../plan/paths';
import type { GatewaySpec } from '../plan/types';

/**
 * A customised gateway response (the errors API Gateway answers itself), as the document's
 * `x-amazon-apigateway-gateway-responses` holds it (developer guide, "x-amazon-apigateway-gateway-responses.gatewayResponse object").
 */
export interface GatewayResponseSpec {
  /** e.g. `BAD_REQUEST_BODY`. */
  type: string;
  /** Status code; undefined keeps the type's default. */
  statusCode?: string;
  /** `gatewayresponse.header.X` → mapping (`'static'` in single quotes, or `method.request.header.x`). */
  headers: Record<string, string>;
  /** Content type → template: simple `$context` substitution, not VTL ("...responseTemplates object"). */
  templates: Record<string, string>;
}

/**
 * The template of every customised gateway response but BAD_REQUEST_BODY's: our error shape
 * `{"message": ...}`. `$context.error.messageString` is documented as the quoted value of
 * `$context.error.message` (developer guide, "$context variables for data models, authorizers, mapping
 * templates, and access logging"), so it is a JSON string as substituted.
 */
export const ERROR_TEMPLATE = '{"message":$context.error.messageString}';

/**
 * The template of BAD_REQUEST_BODY: {@link ERROR_TEMPLATE} with the validator's own account of what failed,
 * `$context.error.validationErrorString`, as `detail`, e.g. `{"message": "Invalid request body", "detail":
 * "[object has missing required properties ([\"title\"])]"}`. API Gateway substitutes it JSON-escaped and
 * unquoted: AWS's sample (aws-samples/serverless-samples, apigw-eventbridge-schema-validation) quotes it in its
 * template and records the response `{ "message": "[object has missing required properties ([\"medication\",...])]"}`,
 * valid JSON (docs/apigateway-behaviour.md §2.10). The local gateway substitutes it so (infra/src/local/errors.ts),
 * so the body parses for any field name, quotes and backslashes included.
 */
export const BAD_REQUEST_BODY_TEMPLATE = '{"message":$context.error.messageString,"detail":"$context.error.validationErrorString"}';

/** The request headers the gateway itself reads or browsers send for AWS APIs, allowed on every preflight. */
export const GATEWAY_ALLOW_HEADERS = ['Content-Type', 'X-Api-Key', 'Authorization', 'X-Amz-Date', 'X-Amz-Security-Token'] as const;

/** Response headers the service sets that a browser script may read (the service exposes them too: infra/src/route/cors.ts). */
export const EXPOSE_HEADERS = ['ETag', 'Location'] as const;

/**
 * Returns the gateway responses to customise: the two validation failures always (status 400, our
 * error shape; a refused body with the validator's detail, {@link BAD_REQUEST_BODY_TEMPLATE}), and, when CORS origins are configured, DEFAULT_4XX/DEFAULT_5XX too, every one with
 * CORS headers so browsers can read gateway errors (403 missing key, 429, 5xx).
 */
export function planGatewayResponses(spec: GatewaySpec, corsOrigins: readonly string[]): GatewayResponseSpec[] {
  const cors = corsHeaders(corsOrigins, allowHeadersOf(spec, undefined));
  const json = { 'application/json': ERROR_TEMPLATE };
  const responses: GatewayResponseSpec[] = [
    { type: 'BAD_REQUEST_BODY', statusCode: '400', headers: cors, templates: { 'application/json': BAD_REQUEST_BODY_TEMPLATE } },
    { type: 'BAD_REQUEST_PARAMETERS', statusCode: '400', headers: cors, templates: json },
  ];
  if (corsOrigins.length > 0) {
    responses.push({ type: 'DEFAULT_4XX', headers: cors, templates: json });
    responses.push({ type: 'DEFAULT_5XX', headers: cors, templates: json });
  }
  return responses;
}

/**
 * Returns the CORS headers of gateway responses (the errors API Gateway answers itself). One origin is that
 * static value; `*`, or several origins, is `*`: a gateway response can map a header only to a static value or
 * to one request parameter, `method.request.header.<name>` (developer guide,
 * "x-amazon-apigateway-gateway-responses.responseParameters object"), and it cannot test the origin against a
 * list. Echoing the request's Origin through such a mapping reads ONE spelling of the header: API Gateway
 * processes header names "in a case-sensitive way" (developer guide, "Amazon API Gateway important notes for
 * REST APIs"), browsers send `Origin` over HTTP/1.1 and `origin` over HTTP/2 (RFC 9113 §8.2.2: field names are
 * lower case), so any one spelling leaves the other browsers without the header, and their script sees a CORS
 * failure instead of the 403/429/5xx. A static `*` reaches every browser whatever it sends, and allows exactly
 * what echoing any origin allowed: neither sends `Access-Control-Allow-Credentials`, so no credentialed request
 * reads it either way, and gateway error bodies carry no data (`{"message": ...}`). The function's own responses
 * and the preflights still allow only the listed origins (infra/src/route/cors.ts, originTemplate).
 * docs/apigateway-behaviour.md §8.5; docs/api-definition.md "CORS headers on gateway errors".
 */
export function corsHeaders(origins: readonly string[], allowHeaders: readonly string[] = GATEWAY_ALLOW_HEADERS): Record<string, string> {
  if (origins.length === 0) return {};
  const allowOrigin = origins.length === 1 && origins[0] !== '*' ? `'${origins[0]}'` : "'*'";
  return {
    'gatewayresponse.header.Access-Control-Allow-Origin': allowOrigin,
    'gatewayresponse.header.Access-Control-Allow-Headers': `'${allowHeaders.join(',')}'`,
    'gatewayresponse.header.Access-Control-Expose-Headers': `'${EXPOSE_HEADERS.join(',')}'`,
    // The same URL's other answers (the function's, the preflight's) vary by Origin: a cache must key them so.
    'gatewayresponse.header.Vary': "'Origin'",
  };
}

/** One OPTIONS preflight the gateway answers itself (MOCK integration). */
export interface PreflightSpec {
  resourcePath: string;
  /** Methods the resource allows, OPTIONS included, e.g. `GET,POST,OPTIONS`. */
  allowMethods: string;
  /** The gateway's own request headers plus every header a method of this resource declares, e.g. `...,If-Match`. */
  allowHeaders: string;
  /** Integration response template (VTL) that sets Access-Control-Allow-Origin for allowed origins only. */
  responseTemplate: string;
  /** `method.response.header.X` → static value, for the integration response. */
  headers: Record<string, string>;
}

/**
 * Returns one preflight per resource that has methods and no OPTIONS route of its own, when CORS
 * origins are configured; none otherwise. Every resource with a method can then answer a browser's
 * preflight without the API key (browsers never send it on OPTIONS). Sorted by path.
 */
export function planPreflights(spec: GatewaySpec, corsOrigins: readonly string[]): PreflightSpec[] {
  if (corsOrigins.length === 0) return [];
  const byPath = new Map<string, string[]>();
  for (const m of spec.methods) byPath.set(m.resourcePath, [...(byPath.get(m.resourcePath) ?? []), m.method]);
  const preflights: PreflightSpec[] = [];
  for (const [resourcePath, methods] of [...byPath].sort(([a], [b]) => compare(a, b))) {
    if (methods.includes('OPTIONS')) continue;
    const allowMethods = [...methods, 'OPTIONS'].join(',');
    const allowHeaders = allowHeadersOf(spec, resourcePath).join(',');
    preflights.push({
      resourcePath,
      allowMethods,
      allowHeaders,
      responseTemplate: originTemplate(corsOrigins),
      headers: {
        'method.response.header.Access-Control-Allow-Methods': `'${allowMethods}'`,
        'method.response.header.Access-Control-Allow-Headers': `'${allowHeaders}'`,
        'method.response.header.Access-Control-Max-Age': "'600'",
        'method.response.header.Vary': "'Origin'",
      },
    });
  }
  return preflights;
}

/**
 * Returns the headers a browser may send: the gateway's own, then every request header a route
 * declares (on `resourcePath`, or on any route), e.g. `If-Match` for conditional writes; a browser
 * refuses to send a header its preflight did not allow (Fetch standard, "CORS-preflight fetch").
 */
export function allowHeadersOf(spec: GatewaySpec, resourcePath: string | undefined): string[] {
  const declared = new Set<string>();
  for (const m of spec.methods) {
    if (resourcePath !== undefined && m.resourcePath !== resourcePath) continue;
    for (const key of Object.keys(m.requestParameters)) {
      const header = /^method\.request\.header\.(.+)$/.exec(key)?.[1];
      if (header) declared.add(canonicalHeader(header));
    }
  }
  const own = new Set(GATEWAY_ALLOW_HEADERS.map((h) => h.toLowerCase()));
  return [...GATEWAY_ALLOW_HEADERS, ...[...declared].filter((h) => !own.has(h.toLowerCase())).sort(compare)];
}

/** `if-match` → `If-Match`. */
function canonicalHeader(name: string): string {
  return name
    .split('-')
    .map((w) => (w ? w[0]!.toUpperCase() + w.slice(1) : w))
    .join('-');
}

/** The origins a preflight's VTL lets through: `'*'`, or the listed origins. */
export type PreflightOrigins = '*' | string[];

/**
 * Returns the origins the VTL of originTemplate allows, read back from the template itself (the
 * local gateway reads the document, not the settings); undefined for a template it did not write.
 */
export function originsOfTemplate(template: string): PreflightOrigins | undefined {
  if (template.includes("Access-Control-Allow-Origin = '*'")) return '*';
  const list = /^#set\(\$allowed = \[(.*)\]\)$/m.exec(template)?.[1];
  if (list === undefined) return undefined;
  return JSON.parse(`[${list}]`) as string[];
}

/** VTL for the MOCK integration response: allow `*`, or echo the Origin only when it is in the list. */
function originTemplate(origins: readonly string[]): string {
  if (origins.includes('*')) return "#set($context.responseOverride.header.Access-Control-Allow-Origin = '*')\n{}";
  const list = origins.map((o) => JSON.stringify(o)).join(',');
  return [
    `#set($allowed = [${list}])`,
    "#set($origin = $input.params().header.get('Origin'))",
    '#if("$!origin" == "")#set($origin = $input.params().header.get(\'origin\'))#end',
    '#if($allowed.contains($origin))#set($context.responseOverride.header.Access-Control-Allow-Origin = $origin)#end',
    '{}',
  ].join('\n');
}
