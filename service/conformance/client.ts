/* eslint-disable */
// The typed client of koa-apigateway 0.1.0, written by `koa-apigateway client` from its OpenAPI document.
// Do not edit: run `koa-apigateway client --out <file>` again after changing a route. Needs only `fetch`.

// ---- Types from the document's schemas (openapi-typescript) ----

export interface paths {
    "/api/v1/todos": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List todos */
        get: operations["listTodos"];
        put?: never;
        /** Create a todo */
        post: operations["createTodo"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/todos.csv": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Export todos as CSV */
        get: operations["exportTodos"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/todos/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a todo */
        get: operations["getTodo"];
        /** Replace a todo */
        put: operations["replaceTodo"];
        post?: never;
        /** Delete a todo */
        delete: operations["deleteTodo"];
        options?: never;
        head?: never;
        /** Update some fields of a todo */
        patch: operations["updateTodo"];
        trace?: never;
    };
    "/api/v1/todos/{id}/attachment": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Download the attachment of a todo */
        get: operations["getTodoAttachment"];
        /** Attach a file to a todo (replacing its attachment) */
        put: operations["putTodoAttachment"];
        post?: never;
        /** Remove the attachment of a todo */
        delete: operations["deleteTodoAttachment"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Health check */
        get: operations["health"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        ErrorResponse: {
            message: string;
            errors?: {
                path: string;
                message: string;
                /** @enum {unknown} */
                in?: "body" | "query" | "path" | "header";
            }[];
        };
        Health: {
            /** @enum {string} */
            status: "healthy";
            version: string;
            uptimeSeconds: number;
        };
        Todo: {
            /** Format: uuid */
            id: string;
            /** @description What to do. */
            title: string;
            description: string | null;
            /**
             * @description How urgent the todo is.
             * @enum {unknown}
             */
            priority: "low" | "medium" | "high";
            completed: boolean;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
            attachment?: {
                /** @description The file name given at upload (`filename`). */
                name: string;
                /** @description The Content-Type it was uploaded with, and is downloaded with. */
                mediaType: string;
                /** @description Its length in bytes. */
                size: number;
                /** @description The SHA-256 of its bytes, in hex. */
                sha256: string;
            };
        };
        TodoCreate: {
            /** @description What to do. */
            title: string;
            description?: string;
            /**
             * @default medium
             * @enum {unknown}
             */
            priority?: "low" | "medium" | "high";
            /** @default false */
            completed?: boolean;
        };
        /** @description RFC 4180 CSV: a header row, then one CRLF-terminated record per todo. */
        TodoCsv: string;
        TodoList: {
            items: {
                /** Format: uuid */
                id: string;
                /** @description What to do. */
                title: string;
                description: string | null;
                /**
                 * @description How urgent the todo is.
                 * @enum {unknown}
                 */
                priority: "low" | "medium" | "high";
                completed: boolean;
                /** Format: date-time */
                createdAt: string;
                /** Format: date-time */
                updatedAt: string;
                attachment?: {
                    /** @description The file name given at upload (`filename`). */
                    name: string;
                    /** @description The Content-Type it was uploaded with, and is downloaded with. */
                    mediaType: string;
                    /** @description Its length in bytes. */
                    size: number;
                    /** @description The SHA-256 of its bytes, in hex. */
                    sha256: string;
                };
            }[];
            nextCursor: string | null;
        };
        TodoPatch: {
            /** @description What to do. */
            title?: string;
            description?: string | null;
            /**
             * @description How urgent the todo is.
             * @enum {unknown}
             */
            priority?: "low" | "medium" | "high";
            completed?: boolean;
        };
        TodoReplace: {
            /** @description What to do. */
            title: string;
            description?: string;
            /**
             * @default medium
             * @enum {unknown}
             */
            priority?: "low" | "medium" | "high";
            /** @default false */
            completed?: boolean;
        };
        /** @description A response made by API Gateway itself (no route, wrong key, throttled, integration failure, a body its model refuses). */
        GatewayError: {
            message: string;
            /** @description A refused body only: what API Gateway’s request validator found, in its words, e.g. `[object has missing required properties (["title"])]`. */
            detail?: string;
        };
    };
    responses: {
        /** @description Missing or invalid API key: `{"message":"Forbidden"}`. */
        Forbidden: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["GatewayError"];
            };
        };
        /** @description Throttled (`Too Many Requests`) or over the quota (`Limit Exceeded`). */
        TooManyRequests: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["GatewayError"];
            };
        };
        /** @description The function failed or returned a malformed response: `{"message": "Internal server error"}`. */
        BadGateway: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["GatewayError"];
            };
        };
        /** @description The function did not answer in time: `{"message": "Endpoint request timed out"}`. */
        GatewayTimeout: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["GatewayError"];
            };
        };
    };
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    listTodos: {
        parameters: {
            query?: {
                completed?: boolean;
                /** @description How urgent the todo is. */
                priority?: "low" | "medium" | "high";
                limit?: number;
                /** @description Opaque cursor from a previous page. */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TodoList"];
                };
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
            502: components["responses"]["BadGateway"];
            /** @description Service unavailable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            504: components["responses"]["GatewayTimeout"];
        };
    };
    createTodo: {
        parameters: {
            query?: never;
            header?: {
                /** @description A unique value per create (a UUID): a retry with the same key and body answers the todo the first attempt created (201, `Idempotent-Replayed: true`) instead of creating another; the same key with another body is a 422. */
                "idempotency-key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TodoCreate"];
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Todo"];
                };
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            403: components["responses"]["Forbidden"];
            /** @description Status 422 */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            429: components["responses"]["TooManyRequests"];
            502: components["responses"]["BadGateway"];
            /** @description Service unavailable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            504: components["responses"]["GatewayTimeout"];
        };
    };
    exportTodos: {
        parameters: {
            query?: {
                completed?: boolean;
                /** @description How urgent the todo is. */
                priority?: "low" | "medium" | "high";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/csv": string;
                };
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
            502: components["responses"]["BadGateway"];
            /** @description Service unavailable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            504: components["responses"]["GatewayTimeout"];
        };
    };
    getTodo: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The todo id (a UUID). */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Todo"];
                };
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            403: components["responses"]["Forbidden"];
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            429: components["responses"]["TooManyRequests"];
            502: components["responses"]["BadGateway"];
            /** @description Service unavailable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            504: components["responses"]["GatewayTimeout"];
        };
    };
    replaceTodo: {
        parameters: {
            query?: never;
            header?: {
                /** @description The ETag from a previous response: the write applies only if the todo has not changed since (else 412). `*` matches any existing todo. */
                "if-match"?: string;
            };
            path: {
                /** @description The todo id (a UUID). */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TodoReplace"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Todo"];
                };
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            403: components["responses"]["Forbidden"];
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Precondition failed (a condition of the request, such as If-Match, does not hold) */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            429: components["responses"]["TooManyRequests"];
            502: components["responses"]["BadGateway"];
            /** @description Service unavailable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            504: components["responses"]["GatewayTimeout"];
        };
    };
    deleteTodo: {
        parameters: {
            query?: never;
            header?: {
                /** @description The ETag from a previous response: the write applies only if the todo has not changed since (else 412). `*` matches any existing todo. */
                "if-match"?: string;
            };
            path: {
                /** @description The todo id (a UUID). */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No Content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            403: components["responses"]["Forbidden"];
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Precondition failed (a condition of the request, such as If-Match, does not hold) */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            429: components["responses"]["TooManyRequests"];
            502: components["responses"]["BadGateway"];
            /** @description Service unavailable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            504: components["responses"]["GatewayTimeout"];
        };
    };
    updateTodo: {
        parameters: {
            query?: never;
            header?: {
                /** @description The ETag from a previous response: the write applies only if the todo has not changed since (else 412). `*` matches any existing todo. */
                "if-match"?: string;
            };
            path: {
                /** @description The todo id (a UUID). */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TodoPatch"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Todo"];
                };
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            403: components["responses"]["Forbidden"];
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Precondition failed (a condition of the request, such as If-Match, does not hold) */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            429: components["responses"]["TooManyRequests"];
            502: components["responses"]["BadGateway"];
            /** @description Service unavailable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            504: components["responses"]["GatewayTimeout"];
        };
    };
    getTodoAttachment: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The todo id (a UUID). */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/octet-stream": string;
                    "application/pdf": string;
                    "application/zip": string;
                    "image/gif": string;
                    "image/jpeg": string;
                    "image/png": string;
                    "image/webp": string;
                };
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            403: components["responses"]["Forbidden"];
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            429: components["responses"]["TooManyRequests"];
            502: components["responses"]["BadGateway"];
            /** @description Service unavailable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            504: components["responses"]["GatewayTimeout"];
        };
    };
    putTodoAttachment: {
        parameters: {
            query?: {
                /** @description The file name, e.g. `receipt.png` (no `/`, `\` or control characters). */
                filename?: string;
            };
            header?: {
                /** @description The ETag from a previous response: the write applies only if the todo has not changed since (else 412). `*` matches any existing todo. */
                "if-match"?: string;
            };
            path: {
                /** @description The todo id (a UUID). */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/octet-stream": string;
                "application/pdf": string;
                "application/zip": string;
                "image/gif": string;
                "image/jpeg": string;
                "image/png": string;
                "image/webp": string;
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Todo"];
                };
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            403: components["responses"]["Forbidden"];
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Precondition failed (a condition of the request, such as If-Match, does not hold) */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Status 413 */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Status 415 */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            429: components["responses"]["TooManyRequests"];
            502: components["responses"]["BadGateway"];
            /** @description Service unavailable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            504: components["responses"]["GatewayTimeout"];
        };
    };
    deleteTodoAttachment: {
        parameters: {
            query?: never;
            header?: {
                /** @description The ETag from a previous response: the write applies only if the todo has not changed since (else 412). `*` matches any existing todo. */
                "if-match"?: string;
            };
            path: {
                /** @description The todo id (a UUID). */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Todo"];
                };
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            403: components["responses"]["Forbidden"];
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Precondition failed (a condition of the request, such as If-Match, does not hold) */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            429: components["responses"]["TooManyRequests"];
            502: components["responses"]["BadGateway"];
            /** @description Service unavailable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            504: components["responses"]["GatewayTimeout"];
        };
    };
    health: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
            429: components["responses"]["TooManyRequests"];
            502: components["responses"]["BadGateway"];
            504: components["responses"]["GatewayTimeout"];
        };
    };
}

export type ErrorResponse = components['schemas']["ErrorResponse"];
export type Health = components['schemas']["Health"];
export type Todo = components['schemas']["Todo"];
export type TodoCreate = components['schemas']["TodoCreate"];
export type TodoCsv = components['schemas']["TodoCsv"];
export type TodoList = components['schemas']["TodoList"];
export type TodoPatch = components['schemas']["TodoPatch"];
export type TodoReplace = components['schemas']["TodoReplace"];
export type GatewayError = components['schemas']["GatewayError"];

// ---- Runtime ----

/** Where and how to call the API. */
export interface ClientConfig {
  /** The stage's base URL: `pulumi stack output url`, or `http://127.0.0.1:3000/dev` for `koa-apigateway start`. */
  baseUrl: string;
  /** The usage plan's API key (`pulumi stack output apiKey --show-secrets`), sent as the operation's key header. */
  apiKey?: string;
  /** A bearer token, sent as `Authorization: Bearer <token>` to operations that require one. */
  token?: string;
  /**
   * Headers added to every request. Names are case-insensitive (RFC 9110 §5.1): one given here
   * replaces the client's own of the same name (`Content-Type`, `X-Api-Key`...), and an
   * operation's `headers` input replaces both.
   */
  headers?: Record<string, string>;
  /** The fetch to use (default: the global one). */
  fetch?: typeof fetch;
}

/**
 * A successful response: its status, body and headers (ETag, Location...). The body is the parsed JSON (undefined
 * when empty); a Blob where the operation declares a binary answer (an image, a file); a string where it declares
 * text that is not JSON (`text/csv`); a ReadableStream of the bytes as they arrive where the operation is streamed
 * (docs/streaming.md).
 */
export interface ApiResponse<S extends number, B> {
  status: S;
  body: B;
  headers: Headers;
}

/** The one error body of the API, gateway and service alike. */
export interface ErrorBody {
  message: string;
  errors?: Array<{ path: string; message: string; in?: 'body' | 'query' | 'path' | 'header' }>;
}

/** A response with status 400 or more. `source` tells whether API Gateway itself answered (it sets x-amzn-ErrorType) or the function did. */
export class ApiError extends Error {
  readonly status: number;
  readonly operationId: string;
  /** The parsed error body; undefined when it was not JSON. */
  readonly body: ErrorBody | undefined;
  readonly headers: Headers;
  readonly source: 'gateway' | 'service';
  /** API Gateway's x-amzn-ErrorType (e.g. ForbiddenException), for gateway responses. */
  readonly errorType: string | undefined;
  constructor(operationId: string, status: number, body: ErrorBody | undefined, headers: Headers) {
    super(`${operationId}: ${status} ${body?.message ?? ''}`.trim());
    this.name = new.target.name;
    this.operationId = operationId;
    this.status = status;
    this.body = body;
    this.headers = headers;
    this.errorType = headers.get('x-amzn-errortype') ?? undefined;
    this.source = this.errorType ? 'gateway' : 'service';
  }
}
/** 400: rejected by the gateway's request validation or the function's; `body.errors` names the fields. */
export class BadRequestError extends ApiError {
  declare readonly status: 400;
}
/** 403: a missing or wrong API key (`Forbidden`), or no such route (`Missing Authentication Token`). */
export class ForbiddenError extends ApiError {
  declare readonly status: 403;
}
/** 404: no such resource. */
export class NotFoundError extends ApiError {
  declare readonly status: 404;
}
/** 412: a precondition of the request (If-Match, say) does not hold (RFC 9110 §15.5.13). */
export class PreconditionFailedError extends ApiError {
  declare readonly status: 412;
}
/** 429: throttled (`Too Many Requests`) or over the quota (`Limit Exceeded`). */
export class TooManyRequestsError extends ApiError {
  declare readonly status: 429;
}

const ERROR_CLASSES: Record<number, typeof ApiError> = { 400: BadRequestError, 403: ForbiddenError, 404: NotFoundError, 412: PreconditionFailedError, 429: TooManyRequestsError };

type DropFirst<T extends unknown[]> = T extends [unknown, ...infer R] ? R : never;

interface RequestInput {
  path?: Record<string, string | number | boolean>;
  query?: Record<string, string | number | boolean | undefined>;
  headers?: Record<string, string | undefined>;
  body?: unknown;
  /** A binary body's media type (one the operation declares). */
  contentType?: string;
}

interface OperationInfo {
  operationId: string;
  /** The media type the request body is declared under (sent as Content-Type); `application/json` when none is. */
  contentType?: string;
  method: string;
  path: string;
  /** Alternatives: `apiKey:<header>` or `bearer`; empty for a public operation. */
  auth: string[];
  /** The media types of a binary request body: the body is sent as bytes, with one of them as Content-Type. */
  binaryBody?: string[];
  /** By success status, how its body is read: `blob` (binary) or `text`; JSON otherwise. */
  bodies?: Record<string, 'blob' | 'text'>;
  /** A streamed operation (docs/streaming.md): every answer below 400 resolves with a stream of its bytes as they come. */
  stream?: true;
  /** The Accept to send (binary or text answers); `application/json` otherwise. */
  accept?: string;
}

async function send(config: ClientConfig, op: OperationInfo, input: RequestInput): Promise<ApiResponse<number, unknown>> {
  const path = op.path.replace(/\{([^}+]+)\+?\}/g, (_, name: string) => {
    // Own properties only: a parameter named `constructor` or `toString` must not read Object.prototype's.
    const value = input.path && Object.prototype.hasOwnProperty.call(input.path, name) ? input.path[name] : undefined;
    if (value === undefined) throw new TypeError(`${op.operationId}: path parameter "${name}" is required`);
    return encodeURIComponent(String(value));
  });
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(input.query ?? {})) if (value !== undefined) query.set(key, String(value));
  // Header names are case-insensitive (RFC 9110 §5.1): keyed lower-case, later sources replace earlier ones.
  // A record without a prototype: a header named `__proto__` or `constructor` is a header like any other.
  const headers: Record<string, string> = Object.assign(Object.create(null) as Record<string, string>, { accept: op.accept ?? 'application/json' });
  const apiKey = op.auth.find((a) => a.startsWith('apiKey:'))?.slice('apiKey:'.length);
  if (apiKey && config.apiKey) headers[apiKey] = config.apiKey;
  else if (op.auth.includes('bearer') && config.token) headers['authorization'] = `Bearer ${config.token}`;
  let body: string | Blob | ArrayBuffer | Uint8Array | undefined;
  if (input.body !== undefined && op.binaryBody) {
    // Bytes, as they are, under a declared media type: the given one, else the Blob's own when declared, else the first.
    const own = typeof Blob !== 'undefined' && input.body instanceof Blob ? input.body.type.toLowerCase() : '';
    const contentType = input.contentType ?? (op.binaryBody.includes(own) ? own : op.binaryBody[0]!);
    if (!op.binaryBody.includes(contentType.toLowerCase())) throw new TypeError(`${op.operationId}: contentType ${contentType} is not one the operation declares (${op.binaryBody.join(', ')})`);
    body = input.body as Blob | ArrayBuffer | Uint8Array;
    headers['content-type'] = contentType;
  } else if (input.body !== undefined) {
    body = JSON.stringify(input.body);
    // The media type the operation declares its body under (`application/vnd.api+json`...): API Gateway selects the
    // request model to validate by Content-Type (docs/apigateway-behaviour.md section 4.6), so another one would skip the check.
    headers['content-type'] = op.contentType ?? 'application/json';
  }
  for (const given of [config.headers ?? {}, input.headers ?? {}]) {
    for (const [key, value] of Object.entries(given)) if (value !== undefined) headers[key.toLowerCase()] = value;
  }
  if (op.auth.length > 0 && !(apiKey && headers[apiKey] !== undefined) && !(op.auth.includes('bearer') && headers['authorization'] !== undefined)) {
    throw new TypeError(`${op.operationId} needs ${apiKey ? 'an API key (apiKey)' : 'a bearer token (token)'} in the client's configuration`);
  }
  const url = `${config.baseUrl.replace(/\/+$/, '')}${path}${query.size ? `?${query}` : ''}`;
  const response = await (config.fetch ?? fetch)(url, { method: op.method, headers, ...(body !== undefined ? { body: body as NonNullable<NonNullable<Parameters<typeof fetch>[1]>['body']> } : {}) });
  const reads = response.status < 400 ? op.bodies?.[String(response.status)] : undefined;
  // A streamed answer: its bytes as they arrive (an empty stream when there are none, as for HEAD).
  if (op.stream && response.status < 400) return { status: response.status, body: response.body ?? new ReadableStream<Uint8Array>({ start: (c) => c.close() }), headers: response.headers };
  if (reads === 'blob') return { status: response.status, body: await response.blob(), headers: response.headers };
  const text = await response.text();
  if (reads === 'text') return { status: response.status, body: text, headers: response.headers };
  let parsed: unknown;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (response.status >= 400) {
    const Class = ERROR_CLASSES[response.status] ?? ApiError;
    const errorBody = parsed && typeof parsed === 'object' && typeof (parsed as ErrorBody).message === 'string' ? (parsed as ErrorBody) : undefined;
    throw new Class(op.operationId, response.status, errorBody, response.headers);
  }
  return { status: response.status, body: parsed, headers: response.headers };
}

// ---- One function per operation ----

export interface ListTodosInput {
  query?: paths["/api/v1/todos"]["get"]['parameters']['query'];
}
export type ListTodosResponse = ApiResponse<200, paths["/api/v1/todos"]["get"]['responses'][200]['content']["application/json"]>;
/**
 * List todos: `GET /api/v1/todos`.
 * Resolves with 200; rejects with BadRequestError (400), ForbiddenError (403), TooManyRequestsError (429), ApiError (502, 503, 504).
 */
export function listTodos(__config: ClientConfig, __input?: ListTodosInput): Promise<ListTodosResponse> {
  return send(__config, { operationId: "listTodos", method: "GET", path: "/api/v1/todos", auth: ["apiKey:x-api-key"] }, (__input ?? {}) as RequestInput) as Promise<ListTodosResponse>;
}

export interface CreateTodoInput {
  headers?: paths["/api/v1/todos"]["post"]['parameters']['header'];
  body: NonNullable<paths["/api/v1/todos"]["post"]['requestBody']>['content']["application/json"];
}
export type CreateTodoResponse = ApiResponse<201, paths["/api/v1/todos"]["post"]['responses'][201]['content']["application/json"]>;
/**
 * Create a todo: `POST /api/v1/todos`.
 * Resolves with 201; rejects with BadRequestError (400), ForbiddenError (403), TooManyRequestsError (429), ApiError (422, 502, 503, 504).
 */
export function createTodo(__config: ClientConfig, __input: CreateTodoInput): Promise<CreateTodoResponse> {
  return send(__config, { operationId: "createTodo", method: "POST", path: "/api/v1/todos", auth: ["apiKey:x-api-key"], contentType: "application/json" }, (__input ?? {}) as RequestInput) as Promise<CreateTodoResponse>;
}

export interface ExportTodosInput {
  query?: paths["/api/v1/todos.csv"]["get"]['parameters']['query'];
}
export type ExportTodosResponse = ApiResponse<200, ReadableStream<Uint8Array>>;
/**
 * Export todos as CSV: `GET /api/v1/todos.csv`.
 * Resolves with 200; rejects with BadRequestError (400), ForbiddenError (403), TooManyRequestsError (429), ApiError (502, 503, 504).
 */
export function exportTodos(__config: ClientConfig, __input?: ExportTodosInput): Promise<ExportTodosResponse> {
  return send(__config, { operationId: "exportTodos", method: "GET", path: "/api/v1/todos.csv", auth: ["apiKey:x-api-key"], bodies: {"200":"text"}, accept: "text/csv, application/json", stream: true }, (__input ?? {}) as RequestInput) as Promise<ExportTodosResponse>;
}

export interface GetTodoInput {
  path: paths["/api/v1/todos/{id}"]["get"]['parameters']['path'];
}
export type GetTodoResponse = ApiResponse<200, paths["/api/v1/todos/{id}"]["get"]['responses'][200]['content']["application/json"]>;
/**
 * Get a todo: `GET /api/v1/todos/{id}`.
 * Resolves with 200; rejects with BadRequestError (400), ForbiddenError (403), NotFoundError (404), TooManyRequestsError (429), ApiError (502, 503, 504).
 */
export function getTodo(__config: ClientConfig, __input: GetTodoInput): Promise<GetTodoResponse> {
  return send(__config, { operationId: "getTodo", method: "GET", path: "/api/v1/todos/{id}", auth: ["apiKey:x-api-key"] }, (__input ?? {}) as RequestInput) as Promise<GetTodoResponse>;
}

export interface ReplaceTodoInput {
  path: paths["/api/v1/todos/{id}"]["put"]['parameters']['path'];
  headers?: paths["/api/v1/todos/{id}"]["put"]['parameters']['header'];
  body: NonNullable<paths["/api/v1/todos/{id}"]["put"]['requestBody']>['content']["application/json"];
}
export type ReplaceTodoResponse = ApiResponse<200, paths["/api/v1/todos/{id}"]["put"]['responses'][200]['content']["application/json"]>;
/**
 * Replace a todo: `PUT /api/v1/todos/{id}`.
 * Resolves with 200; rejects with BadRequestError (400), ForbiddenError (403), NotFoundError (404), PreconditionFailedError (412), TooManyRequestsError (429), ApiError (502, 503, 504).
 */
export function replaceTodo(__config: ClientConfig, __input: ReplaceTodoInput): Promise<ReplaceTodoResponse> {
  return send(__config, { operationId: "replaceTodo", method: "PUT", path: "/api/v1/todos/{id}", auth: ["apiKey:x-api-key"], contentType: "application/json" }, (__input ?? {}) as RequestInput) as Promise<ReplaceTodoResponse>;
}

export interface DeleteTodoInput {
  path: paths["/api/v1/todos/{id}"]["delete"]['parameters']['path'];
  headers?: paths["/api/v1/todos/{id}"]["delete"]['parameters']['header'];
}
export type DeleteTodoResponse = ApiResponse<204, undefined>;
/**
 * Delete a todo: `DELETE /api/v1/todos/{id}`.
 * Resolves with 204; rejects with BadRequestError (400), ForbiddenError (403), NotFoundError (404), PreconditionFailedError (412), TooManyRequestsError (429), ApiError (502, 503, 504).
 */
export function deleteTodo(__config: ClientConfig, __input: DeleteTodoInput): Promise<DeleteTodoResponse> {
  return send(__config, { operationId: "deleteTodo", method: "DELETE", path: "/api/v1/todos/{id}", auth: ["apiKey:x-api-key"] }, (__input ?? {}) as RequestInput) as Promise<DeleteTodoResponse>;
}

export interface UpdateTodoInput {
  path: paths["/api/v1/todos/{id}"]["patch"]['parameters']['path'];
  headers?: paths["/api/v1/todos/{id}"]["patch"]['parameters']['header'];
  body: NonNullable<paths["/api/v1/todos/{id}"]["patch"]['requestBody']>['content']["application/json"];
}
export type UpdateTodoResponse = ApiResponse<200, paths["/api/v1/todos/{id}"]["patch"]['responses'][200]['content']["application/json"]>;
/**
 * Update some fields of a todo: `PATCH /api/v1/todos/{id}`.
 * Resolves with 200; rejects with BadRequestError (400), ForbiddenError (403), NotFoundError (404), PreconditionFailedError (412), TooManyRequestsError (429), ApiError (502, 503, 504).
 */
export function updateTodo(__config: ClientConfig, __input: UpdateTodoInput): Promise<UpdateTodoResponse> {
  return send(__config, { operationId: "updateTodo", method: "PATCH", path: "/api/v1/todos/{id}", auth: ["apiKey:x-api-key"], contentType: "application/json" }, (__input ?? {}) as RequestInput) as Promise<UpdateTodoResponse>;
}

export interface GetTodoAttachmentInput {
  path: paths["/api/v1/todos/{id}/attachment"]["get"]['parameters']['path'];
}
export type GetTodoAttachmentResponse = ApiResponse<200, Blob>;
/**
 * Download the attachment of a todo: `GET /api/v1/todos/{id}/attachment`.
 * Resolves with 200; rejects with BadRequestError (400), ForbiddenError (403), NotFoundError (404), TooManyRequestsError (429), ApiError (502, 503, 504).
 */
export function getTodoAttachment(__config: ClientConfig, __input: GetTodoAttachmentInput): Promise<GetTodoAttachmentResponse> {
  return send(__config, { operationId: "getTodoAttachment", method: "GET", path: "/api/v1/todos/{id}/attachment", auth: ["apiKey:x-api-key"], bodies: {"200":"blob"}, accept: "application/octet-stream, application/pdf, application/zip, image/gif, image/jpeg, image/png, image/webp, application/json" }, (__input ?? {}) as RequestInput) as Promise<GetTodoAttachmentResponse>;
}

export interface PutTodoAttachmentInput {
  path: paths["/api/v1/todos/{id}/attachment"]["put"]['parameters']['path'];
  query?: paths["/api/v1/todos/{id}/attachment"]["put"]['parameters']['query'];
  headers?: paths["/api/v1/todos/{id}/attachment"]["put"]['parameters']['header'];
  /** The bytes to send: a Blob (a File), an ArrayBuffer or a Uint8Array (a Node.js Buffer is one). */
  body: Blob | ArrayBuffer | Uint8Array;
  /** The body's media type, one the operation declares; default: the Blob's own type when declared, else "application/octet-stream". */
  contentType?: "application/octet-stream" | "application/pdf" | "application/zip" | "image/gif" | "image/jpeg" | "image/png" | "image/webp";
}
export type PutTodoAttachmentResponse = ApiResponse<200, paths["/api/v1/todos/{id}/attachment"]["put"]['responses'][200]['content']["application/json"]>;
/**
 * Attach a file to a todo (replacing its attachment): `PUT /api/v1/todos/{id}/attachment`.
 * Resolves with 200; rejects with BadRequestError (400), ForbiddenError (403), NotFoundError (404), PreconditionFailedError (412), TooManyRequestsError (429), ApiError (413, 415, 502, 503, 504).
 */
export function putTodoAttachment(__config: ClientConfig, __input: PutTodoAttachmentInput): Promise<PutTodoAttachmentResponse> {
  return send(__config, { operationId: "putTodoAttachment", method: "PUT", path: "/api/v1/todos/{id}/attachment", auth: ["apiKey:x-api-key"], contentType: "application/octet-stream", binaryBody: ["application/octet-stream","application/pdf","application/zip","image/gif","image/jpeg","image/png","image/webp"] }, (__input ?? {}) as RequestInput) as Promise<PutTodoAttachmentResponse>;
}

export interface DeleteTodoAttachmentInput {
  path: paths["/api/v1/todos/{id}/attachment"]["delete"]['parameters']['path'];
  headers?: paths["/api/v1/todos/{id}/attachment"]["delete"]['parameters']['header'];
}
export type DeleteTodoAttachmentResponse = ApiResponse<200, paths["/api/v1/todos/{id}/attachment"]["delete"]['responses'][200]['content']["application/json"]>;
/**
 * Remove the attachment of a todo: `DELETE /api/v1/todos/{id}/attachment`.
 * Resolves with 200; rejects with BadRequestError (400), ForbiddenError (403), NotFoundError (404), PreconditionFailedError (412), TooManyRequestsError (429), ApiError (502, 503, 504).
 */
export function deleteTodoAttachment(__config: ClientConfig, __input: DeleteTodoAttachmentInput): Promise<DeleteTodoAttachmentResponse> {
  return send(__config, { operationId: "deleteTodoAttachment", method: "DELETE", path: "/api/v1/todos/{id}/attachment", auth: ["apiKey:x-api-key"] }, (__input ?? {}) as RequestInput) as Promise<DeleteTodoAttachmentResponse>;
}

export interface HealthInput {
  // This operation takes no input.
}
export type HealthResponse = ApiResponse<200, paths["/health"]["get"]['responses'][200]['content']["application/json"]>;
/**
 * Health check: `GET /health` (public: no key).
 * Resolves with 200; rejects with TooManyRequestsError (429), ApiError (502, 504).
 */
export function health(__config: ClientConfig, __input?: HealthInput): Promise<HealthResponse> {
  return send(__config, { operationId: "health", method: "GET", path: "/health", auth: [] }, (__input ?? {}) as RequestInput) as Promise<HealthResponse>;
}

/** Returns the client: every operation bound to `__config` (base URL of the stage, API key, bearer token). */
export function createClient(__config: ClientConfig) {
  return {
    listTodos: (...__args: DropFirst<Parameters<typeof listTodos>>) => listTodos(__config, ...__args),
    createTodo: (...__args: DropFirst<Parameters<typeof createTodo>>) => createTodo(__config, ...__args),
    exportTodos: (...__args: DropFirst<Parameters<typeof exportTodos>>) => exportTodos(__config, ...__args),
    getTodo: (...__args: DropFirst<Parameters<typeof getTodo>>) => getTodo(__config, ...__args),
    replaceTodo: (...__args: DropFirst<Parameters<typeof replaceTodo>>) => replaceTodo(__config, ...__args),
    deleteTodo: (...__args: DropFirst<Parameters<typeof deleteTodo>>) => deleteTodo(__config, ...__args),
    updateTodo: (...__args: DropFirst<Parameters<typeof updateTodo>>) => updateTodo(__config, ...__args),
    getTodoAttachment: (...__args: DropFirst<Parameters<typeof getTodoAttachment>>) => getTodoAttachment(__config, ...__args),
    putTodoAttachment: (...__args: DropFirst<Parameters<typeof putTodoAttachment>>) => putTodoAttachment(__config, ...__args),
    deleteTodoAttachment: (...__args: DropFirst<Parameters<typeof deleteTodoAttachment>>) => deleteTodoAttachment(__config, ...__args),
    health: (...__args: DropFirst<Parameters<typeof health>>) => health(__config, ...__args),
  };
}
