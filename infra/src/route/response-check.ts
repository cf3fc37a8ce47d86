import type { Context } from 'koa';
import type { TSchema } from 'typebox';
import { compileSchema, type CompiledSchema } from './validation';

/** `strict`: a response that breaks its declared schema becomes a 500 and is logged. `log`: it is sent, and logged. */
export type ResponseCheckMode = 'strict' | 'log';

/**
 * Returns how responses are checked: `RESPONSE_VALIDATION` (`strict` | `log`) when set; else `log` in
 * production (`NODE_ENV=production`, or inside AWS Lambda, whose runtime sets `AWS_LAMBDA_FUNCTION_NAME`:
 * AWS Lambda developer guide, "Defined runtime environment variables"); else `strict`, so development,
 * `npm start` and tests fail loudly on a response the document does not describe.
 */
export function responseCheckMode(env: NodeJS.ProcessEnv = process.env): ResponseCheckMode {
  const explicit = env.RESPONSE_VALIDATION;
  if (explicit === 'strict' || explicit === 'log') return explicit;
  return env.NODE_ENV === 'production' || env.AWS_LAMBDA_FUNCTION_NAME ? 'log' : 'strict';
}

/** A handler's response that does not match the schema its route declares for that status. */
export class ResponseSchemaError extends Error {
  override name = 'ResponseSchemaError';
}

/**
 * In `log` mode (production), one successful response in this many is checked, the first of each
 * route included. A handler that drifts from its schema does so on every response of that shape, so a
 * sample finds it, while checking every body cost up to a third of a warm list request (BENCHMARKS.md).
 */
export const PRODUCTION_SAMPLE_EVERY = 100;

/**
 * Returns a check of a handler's successful response (`operation` names it in messages: the operationId, or
 * a function of the request for a declaration that does not know its method and path) (status < 400) against the route's declared
 * `responses`: the body must match the status's schema, and the status must be declared. Schemas
 * compile on first use; a status of `binaryResponses` (the route's `binary.responses`) is declared, its body
 * not checked. Returns undefined when the route declares no responses. In `strict` mode
 * every response is checked and a mismatch throws ResponseSchemaError (the error middleware logs it
 * and answers 500); in `log` mode the first response and then one in PRODUCTION_SAMPLE_EVERY is
 * checked, and a mismatch writes one JSON line to stderr (field paths and reasons only, never the
 * body) and lets the response pass.
 */
export function responseCheck(
  operation: string | ((ctx: Context) => string),
  responses: Record<number, TSchema | null> | undefined,
  mode: ResponseCheckMode,
  binaryResponses?: Readonly<Record<number, readonly string[]>>,
): ((ctx: Context) => void) | undefined {
  if ((!responses || Object.keys(responses).length === 0) && (!binaryResponses || Object.keys(binaryResponses).length === 0)) return undefined;
  const compiled = new Map<number, CompiledSchema | null | 'binary'>(Object.entries(responses ?? {}).map(([status, schema]) => [Number(status), schema && compileSchema(schema, 'body')]));
  // A binary response (docs/binary.md) is declared, its bytes not checked (unless a schema is declared for the status too).
  for (const status of Object.keys(binaryResponses ?? {})) if (!compiled.has(Number(status))) compiled.set(Number(status), 'binary');
  let seen = 0;
  return (ctx) => {
    if (ctx.status >= 400) return;
    if (mode === 'log' && seen++ % PRODUCTION_SAMPLE_EVERY !== 0) return;
    const schema = compiled.get(ctx.status);
    const problems =
      schema === undefined
        ? [`status ${ctx.status} is not declared (declared: ${[...compiled.keys()].join(', ')})`]
        : schema === 'binary'
          ? []
          : schema === null
          ? ctx.body == null ? [] : [`status ${ctx.status} is declared without a body, but one was sent`]
          : isJsonValue(ctx.body) ? schema.explain(ctx.body).map((e) => `${e.path || '(body)'} ${e.message}`) : [];
    if (problems.length === 0) return;
    const name = typeof operation === 'function' ? operation(ctx) : operation;
    const message = `Response of ${name} (${ctx.status}) does not match its declared schema: ${problems.join('; ')}`;
    if (mode === 'strict') throw new ResponseSchemaError(message);
    console.error(JSON.stringify({ level: 'error', message: 'Response does not match its declared schema', operation: name, status: ctx.status, problems }));
  };
}

/** Streams and buffers are not checked: only bodies Koa sends as JSON. */
function isJsonValue(body: unknown): boolean {
  return body !== undefined && (typeof body !== 'object' || body === null || Array.isArray(body) || Object.getPrototypeOf(body) === Object.prototype || Object.getPrototypeOf(body) === null);
}
