import type { Static, TArray, TEnum, TObject, TOptional, TString } from 'typebox';

/** One entry of an error body: which field failed, where it was, and why. */
export interface FieldError {
  /** JSON Pointer to the field inside its location, e.g. `/title`; `""` for the whole value. */
  path: string;
  message: string;
  /** Where the field was sent: the JSON body, the query string, the path or a header. */
  in?: 'body' | 'query' | 'path' | 'header';
}

/** The one error shape of this project, gateway and service alike: `{"message": "...", "errors": [...]}`. */
export interface ErrorBody {
  message: string;
  errors?: FieldError[];
}

/** The TypeBox type of {@link FieldError}'s schema. */
export type TFieldError = TObject<{ path: TString; message: TString; in: TOptional<TEnum<['body', 'query', 'path', 'header']>> }>;

/** The TypeBox type of {@link ErrorResponse}. */
export type TErrorResponse = TObject<{ message: TString; errors: TOptional<TArray<TFieldError>> }>;

/**
 * The schema of one {@link FieldError}, as `Type.Object({ path: Type.String(), message: Type.String(), in:
 * Type.Optional(Type.Enum(['body', 'query', 'path', 'header'])) })` builds it. Written as the JSON it is, so
 * the route kit evaluates no TypeBox at a cold start (the Lambda bundle builds no schema at run time).
 */
export const FieldError: TFieldError = {
  type: 'object',
  required: ['path', 'message'],
  properties: {
    path: { type: 'string' },
    message: { type: 'string' },
    in: { enum: ['body', 'query', 'path', 'header'] },
  },
} as unknown as TFieldError;

/**
 * The schema of the error body every error of the route kit, the error middleware and the gateway's own
 * responses have ({@link ErrorBody}): declare it for a route's error statuses
 * (`responses: { 404: ErrorResponse }`). Its `$id` names the model, `ErrorResponse`; every route that
 * validates its input has its 400 declared with it unless the route declares its own 400
 * (infra/src/core/plan/plan.ts). The same JSON as `Type.Object({ message: Type.String(), errors:
 * Type.Optional(Type.Array(FieldError)) }, { $id: 'ErrorResponse' })`, so an app's identical schema is one model.
 */
export const ErrorResponse: TErrorResponse = {
  type: 'object',
  required: ['message'],
  properties: {
    message: { type: 'string' },
    errors: { type: 'array', items: FieldError },
  },
  $id: 'ErrorResponse',
} as unknown as TErrorResponse;

/** The value {@link ErrorResponse} describes: the same as {@link ErrorBody}. */
export type ErrorResponse = Static<TErrorResponse>;
