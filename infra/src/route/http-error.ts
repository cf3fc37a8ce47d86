import type { ErrorBody, FieldError } from './error-shape';

/** How many field errors an HttpError's `message` names; the body lists them all. */
const NAMED_IN_MESSAGE = 5;

/**
 * An error meant for the client: its status, message and field errors are sent as they are.
 *
 * It follows Koa's convention for HTTP errors (the `http-errors` package's: `status` and `statusCode`,
 * `expose` true below 500, `headers` sent with it), so an app with its own error handler, or none, still
 * answers with its status and a message naming the failing fields: `message` is the body's message
 * followed by each field error (`Invalid request body: /title must be string`), while
 * {@link HttpError.toBody} keeps the two apart (`{"message":"Invalid request body","errors":[...]}`) for
 * `errorMiddleware`. Koa's own handler answers an exposed error's `message` as text (Koa's `ctx.onerror`).
 */
export class HttpError extends Error {
  readonly status: number;
  readonly errors?: FieldError[];
  readonly headers?: Record<string, string>;
  /** True below 500: the message is meant for the client (Koa sends it; `http-errors` sets it the same way). */
  readonly expose: boolean;
  /** The body's `message`, without the field errors that {@link Error.message} appends. */
  private readonly summary: string;

  constructor(status: number, message: string, options: { errors?: FieldError[]; headers?: Record<string, string> } = {}) {
    super(withFieldErrors(message, options.errors));
    this.name = 'HttpError';
    this.status = status;
    this.expose = status < 500;
    this.summary = message;
    this.errors = options.errors;
    this.headers = options.headers;
  }

  /** The same as `status`: Koa and `http-errors` read either. */
  get statusCode(): number {
    return this.status;
  }

  /** Returns the JSON body sent for this error (by errorMiddleware): the message, and the field errors apart. */
  toBody(): ErrorBody {
    return this.errors && this.errors.length > 0 ? { message: this.summary, errors: this.errors } : { message: this.summary };
  }
}

/**
 * Returns `message` followed by the field errors that name a field (`Invalid request parameters: query /limit
 * must be integer; header /x-card is required`): the location precedes the pointer except in the body, at
 * most {@link NAMED_IN_MESSAGE} of them. An error about the whole value (path `""`) adds nothing the message does not say.
 */
function withFieldErrors(message: string, errors: readonly FieldError[] | undefined): string {
  const named = (errors ?? []).filter((e) => e.path !== '');
  if (named.length === 0) return message;
  const parts = named.slice(0, NAMED_IN_MESSAGE).map((e) => `${e.in && e.in !== 'body' ? `${e.in} ` : ''}${e.path} ${e.message}`);
  const more = named.length > NAMED_IN_MESSAGE ? ` (and ${named.length - NAMED_IN_MESSAGE} more)` : '';
  return `${message}: ${parts.join('; ')}${more}`;
}

/** Returns a 400 naming each failing field. */
export function validationError(errors: FieldError[], message = 'Request validation failed'): HttpError {
  return new HttpError(400, message, { errors });
}

/** Returns a 404 for a missing resource. */
export function notFound(message = 'Not Found'): HttpError {
  return new HttpError(404, message);
}

/** Standard reason phrases for the statuses this service produces without a handler message. */
export const STATUS_MESSAGES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal server error',
  501: 'Not Implemented',
  503: 'Service Unavailable',
};
