/**
 * `koa-apigateway/route`: the route kit bundled into the app's Lambda. `addRoute` declares a route with its
 * TypeBox schemas (validated here, deployed as the gateway's models), `errorMiddleware` renders every error
 * as the one error shape, `corsMiddleware` answers browsers as the gateway does. This module only re-exports.
 */
export {
  addRoute,
  claimsOf,
  readRouteMeta,
  ROUTE_META,
  type HttpMethod,
  type RouteAuth,
  type RouteHandler,
  type RouteInput,
  type RouteMeta,
  type RouteSchemas,
  type TokenClaims,
  type UserPoolAuth,
} from './route';
export { HttpError, notFound, validationError, STATUS_MESSAGES, type ErrorBody, type FieldError } from './http-error';
export { consoleLogger, errorMiddleware, type ErrorLogger } from './error-middleware';
export { corsMiddleware, parseOrigins } from './cors';
export { DEFAULT_BODY_LIMIT } from './body';
