/** One entry of an error body: which field failed, where it was, and why. */
export interface FieldError {
  /** JSON Pointer to the field inside its location, e.g. `/title`; `""` for the whole value. */
  path: string;
  message: string;
  /** Where the field was sent: the JSON body, the query string, the path or a header. */
  in?: 'body' | 'query' | 'path' | 'header';
}

/** The one error shape of this project, gateway and service alike. */
export interface ErrorBody {
  message: string;
  errors?: FieldError[];
}

/** An error meant for the client: its status, message and field errors are sent as they are. */
export class HttpError extends Error {
  readonly status: number;
  readonly errors?: FieldError[];
  readonly headers?: Record<string, string>;

  constructor(status: number, message: string, options: { errors?: FieldError[]; headers?: Record<string, string> } = {}) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
    this.errors = options.errors;
    this.headers = options.headers;
  }

  /** Returns the JSON body sent for this error. */
  toBody(): ErrorBody {
    return this.errors && this.errors.length > 0 ? { message: this.message, errors: this.errors } : { message: this.message };
  }
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
