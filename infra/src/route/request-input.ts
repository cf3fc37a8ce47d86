import type { Context } from 'koa';
import type { TSchema } from 'typebox';
import { DEFAULT_BODY_LIMIT, readBinaryBody, readJsonBody, type BodySource } from './body';
import type { RouteDeclaration, RouteInput, TokenClaims } from './declaration';
import type { FieldError } from './error-shape';
import { HttpError } from './http-error';
import { compileSchema, type CompiledSchema } from './validation';

type AnyDeclaration = RouteDeclaration<TSchema | undefined, TSchema | undefined, TSchema | undefined, TSchema | undefined>;

/**
 * Returns the reader of a route's input, its validators compiled here, once (the one core of `addRoute`
 * and `route()`). Per request it validates the path, query and header parameters, then the JSON body,
 * (or, for `binary.requestBody`, the exact bytes: readBinaryBody) and returns them converted and defaults-filled; the body is also left in `ctx.request.body`, where a
 * plain Koa handler reads it. Throws HttpError 400 naming every failing field (`Invalid request
 * parameters`, then `Invalid request body`), or readJsonBody's 400/413/415. On a user-pool route it first
 * puts the caller's token claims in `ctx.state.claims` (401 without them: see claimsOf).
 */
export function requestInputReader<B extends TSchema | undefined, Q extends TSchema | undefined, P extends TSchema | undefined, H extends TSchema | undefined>(
  declaration: RouteDeclaration<B, Q, P, H>,
): (ctx: Context) => Promise<RouteInput<B, Q, P, H>> {
  const d = declaration as AnyDeclaration;
  const params = d.params && compileSchema(d.params, 'path');
  const query = d.query && compileSchema(d.query, 'query');
  const headers = d.headers && compileSchema(d.headers, 'header');
  const headerNames = headers && declaredHeaderNames(headers);
  const body = d.body && compileSchema(d.body, 'body');
  const bodyLimit = d.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const userPool = typeof d.auth === 'object' ? d.auth.userPool : undefined;
  const binaryBody = d.binary?.requestBody && d.binary.requestBody.length > 0 ? d.binary.requestBody : undefined;
  if (binaryBody && d.body) {
    throw new Error(`Route${d.operationId ? ` ${d.operationId}` : ''} declares both a body schema and binary.requestBody (${binaryBody.join(', ')}): a binary body is bytes, not JSON, and is not validated against a schema. Fix: remove body, or move the binary media types out of binary.requestBody.`);
  }

  return async (ctx) => {
    // The gateway verified the token; its claims reach the app in the proxy event. Called without them
    // (directly, not through the gateway), a user-pool route refuses as the gateway would.
    if (userPool) ctx.state.claims = claimsOf(ctx);
    const errors: FieldError[] = [];
    const input = {
      params: params ? parseStrings(params, ctx.params as Record<string, unknown>, errors) : undefined,
      query: query ? parseStrings(query, ctx.query, errors) : undefined,
      headers: headers ? parseStrings(headers, headerNames ? byDeclaredName(ctx.headers, headerNames) : ctx.headers, errors) : undefined,
      body: undefined as unknown,
    };
    if (errors.length > 0) throw new HttpError(400, 'Invalid request parameters', { errors });
    if (binaryBody) {
      // The exact bytes, a Buffer (docs/binary.md): no schema applies.
      input.body = await readBinaryBody({ req: ctx.req, request: ctx.request as BodySource['request'] }, binaryBody, bodyLimit);
      (ctx.request as { body?: unknown }).body = input.body;
    } else if (body) {
      // Just parsed (or the app's body parser's own result): nobody else holds it, so defaults go straight in (no copy).
      const value = body.fillDefaults(await readJsonBody({ req: ctx.req, request: ctx.request as BodySource['request'] }, bodyLimit));
      const bodyErrors = body.explain(value);
      if (bodyErrors.length > 0) throw new HttpError(400, 'Invalid request body', { errors: bodyErrors });
      input.body = value;
      (ctx.request as { body?: unknown }).body = value;
    }
    return input as RouteInput<B, Q, P, H>;
  };
}

/**
 * Returns the caller's token claims from the API Gateway event serverless-http attached to the request
 * (`requestContext.authorizer.claims`: Lambda developer guide, "Amazon Cognito user pool authorizer
 * claims"); throws 401 Unauthorized when there are none.
 */
export function claimsOf(ctx: Context): TokenClaims {
  const claims = (ctx.req as { requestContext?: { authorizer?: { claims?: unknown } } }).requestContext?.authorizer?.claims;
  if (claims === null || typeof claims !== 'object') throw new HttpError(401, 'Unauthorized');
  return claims as TokenClaims;
}

/**
 * Returns the header parameters a schema declares in other than lower case, by their lower-case name
 * (`x-request-id` → `X-Request-Id`), or undefined when there are none. Header names are case-insensitive
 * (RFC 9110 §5.1): Node gives them lower-cased, and the plan deploys them lower-cased (infra/src/core/plan/plan.ts).
 */
function declaredHeaderNames(compiled: CompiledSchema): Map<string, string> | undefined {
  const properties = (compiled.schema as { properties?: Record<string, unknown> }).properties ?? {};
  const names = new Map(Object.keys(properties).filter((name) => name !== name.toLowerCase()).map((name) => [name.toLowerCase(), name]));
  return names.size > 0 ? names : undefined;
}

/** Returns the request's headers with each of `names` (lower case → declared) under its declared name. */
function byDeclaredName(headers: Record<string, unknown>, names: Map<string, string>): Record<string, unknown> {
  const out = Object.create(null) as Record<string, unknown>;
  for (const [key, value] of Object.entries(headers)) out[names.get(key) ?? key] = value;
  return out;
}

/**
 * Returns path, query or header values converted to the schema's types with defaults applied,
 * appending field errors. A repeated query key for a single-valued field is an error, not a guess.
 */
function parseStrings(compiled: CompiledSchema, source: Record<string, unknown>, errors: FieldError[]): unknown {
  const properties = (compiled.schema as { properties?: Record<string, TSchema & { type?: unknown }> }).properties ?? {};
  // No prototype: a query key or header called `constructor` or `__proto__` is an ordinary name.
  const raw = Object.create(null) as Record<string, unknown>;
  for (const [key, value] of Object.entries(source ?? {})) {
    if (Array.isArray(value) && Object.hasOwn(properties, key) && properties[key]!.type !== 'array') {
      errors.push({ path: `/${key}`, message: 'must be given once', in: compiled.location });
      continue;
    }
    // A copy of a repeated key's values: nothing below may reach into Koa's own query object.
    raw[key] = Array.isArray(value) ? [...value] : value;
  }
  // `raw` and what `convert` makes of it are this request's own: defaults go straight in (no deep copy).
  const value = compiled.fillDefaults(compiled.convert(raw));
  errors.push(...compiled.explain(value));
  return value;
}
