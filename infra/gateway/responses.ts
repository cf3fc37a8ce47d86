import type { GatewaySettings } from '../settings';
import type { GatewaySpec } from '../spec/types';

/** A customised API Gateway gateway response (the errors the gateway itself returns). */
export interface GatewayResponseSpec {
  /** e.g. `BAD_REQUEST_BODY`. */
  type: string;
  /** Status code; undefined keeps the type's default. */
  statusCode?: string;
  /** `gatewayresponse.header.X` → mapping (`'static'` in single quotes, or `method.request.header.x`). */
  headers: Record<string, string>;
  /** Content type → template (simple `$context` substitution, not VTL). */
  templates: Record<string, string>;
}

/** Our JSON error shape, `{"message", "errors"}`, for the two validation failures, with the validator's detail. */
export const VALIDATION_TEMPLATES = {
  // messageString is already a quoted JSON string; validationErrorString is not, so it is quoted here.
  BAD_REQUEST_BODY: '{"message":$context.error.messageString,"errors":[{"path":"","message":"$context.error.validationErrorString","in":"body"}]}',
  BAD_REQUEST_PARAMETERS: '{"message":$context.error.messageString,"errors":[{"path":"","message":"$context.error.validationErrorString"}]}',
} as const;

/** The default template of every gateway response: already our shape, `{"message": "..."}`. */
export const DEFAULT_TEMPLATE = '{"message":$context.error.messageString}';

export const CORS_ALLOW_HEADERS = 'Content-Type,X-Api-Key,Authorization,X-Amz-Date,X-Amz-Security-Token';

/**
 * Returns the gateway responses to customise: the two validation failures always (our error shape
 * with the detail), and, when CORS origins are configured, DEFAULT_4XX/DEFAULT_5XX with CORS headers
 * so browsers can read gateway errors (403 missing key, 429, 5xx) too.
 */
export function planGatewayResponses(settings: Pick<GatewaySettings, 'corsOrigins'>): GatewayResponseSpec[] {
  const cors = corsHeaders(settings.corsOrigins);
  const json = (template: string) => ({ 'application/json': template });
  const responses: GatewayResponseSpec[] = [
    { type: 'BAD_REQUEST_BODY', statusCode: '400', headers: cors, templates: json(VALIDATION_TEMPLATES.BAD_REQUEST_BODY) },
    { type: 'BAD_REQUEST_PARAMETERS', statusCode: '400', headers: cors, templates: json(VALIDATION_TEMPLATES.BAD_REQUEST_PARAMETERS) },
  ];
  if (settings.corsOrigins.length > 0) {
    responses.push({ type: 'DEFAULT_4XX', headers: cors, templates: json(DEFAULT_TEMPLATE) });
    responses.push({ type: 'DEFAULT_5XX', headers: cors, templates: json(DEFAULT_TEMPLATE) });
  }
  return responses;
}

/**
 * Returns the CORS headers of gateway responses. One origin (or `*`) is a static value; several
 * origins echo the request's Origin (gateway responses cannot choose), with `Vary: Origin`.
 * Gateway error bodies carry no data, and the Lambda still decides for its own responses.
 */
export function corsHeaders(origins: readonly string[]): Record<string, string> {
  if (origins.length === 0) return {};
  const allowOrigin = origins.length === 1 ? `'${origins[0]}'` : 'method.request.header.origin';
  return {
    'gatewayresponse.header.Access-Control-Allow-Origin': allowOrigin,
    'gatewayresponse.header.Access-Control-Allow-Headers': `'${CORS_ALLOW_HEADERS}'`,
    'gatewayresponse.header.Vary': "'Origin'",
  };
}

/** One OPTIONS preflight method the gateway answers itself (MOCK integration). */
export interface PreflightSpec {
  /** Stable name, e.g. `OPTIONS-api-v1-todos`. */
  key: string;
  resourcePath: string;
  /** Methods the resource allows, OPTIONS included, e.g. `GET,POST,OPTIONS`. */
  allowMethods: string;
  /** Integration response template (VTL) that sets Access-Control-Allow-Origin for allowed origins only. */
  responseTemplate: string;
  /** `method.response.header.X` → static value, for the integration response. */
  headers: Record<string, string>;
}

/**
 * Returns one preflight per resource that has methods and no OPTIONS route of its own, when CORS
 * origins are configured; none otherwise. Every resource with a method can then answer a browser's
 * preflight without the API key (browsers never send it on OPTIONS).
 */
export function planPreflights(spec: GatewaySpec, settings: Pick<GatewaySettings, 'corsOrigins'>): PreflightSpec[] {
  if (settings.corsOrigins.length === 0) return [];
  const byPath = new Map<string, string[]>();
  for (const m of spec.methods) byPath.set(m.resourcePath, [...(byPath.get(m.resourcePath) ?? []), m.method]);
  const preflights: PreflightSpec[] = [];
  for (const [resourcePath, methods] of byPath) {
    if (methods.includes('OPTIONS')) continue;
    const key = spec.methods.find((m) => m.resourcePath === resourcePath)!.key.replace(/^[A-Z]+-/, 'OPTIONS-');
    preflights.push({
      key,
      resourcePath,
      allowMethods: [...methods, 'OPTIONS'].join(','),
      responseTemplate: originTemplate(settings.corsOrigins),
      headers: {
        'method.response.header.Access-Control-Allow-Methods': `'${[...methods, 'OPTIONS'].join(',')}'`,
        'method.response.header.Access-Control-Allow-Headers': `'${CORS_ALLOW_HEADERS}'`,
        'method.response.header.Access-Control-Max-Age': "'600'",
        'method.response.header.Vary': "'Origin'",
      },
    });
  }
  return preflights;
}

/** VTL for the MOCK integration response: allow `*`, or echo the Origin only when it is in the list. */
function originTemplate(origins: readonly string[]): string {
  if (origins.includes('*')) return "#set($context.responseOverride.header.Access-Control-Allow-Origin = '*')\n{}";
  const list = origins.map((o) => `"${o}"`).join(',');
  return [
    `#set($allowed = [${list}])`,
    "#set($origin = $input.params().header.get('Origin'))",
    '#if("$!origin" == "")#set($origin = $input.params().header.get(\'origin\'))#end',
    '#if($allowed.contains($origin))#set($context.responseOverride.header.Access-Control-Allow-Origin = $origin)#end',
    '{}',
  ].join('\n');
}
