/**
 * `koa-apigateway/route`: the route kit bundled into the app's Lambda. `addRoute` declares a route with its
 * TypeBox schemas (validated here, deployed as the gateway's models); `route()` declares an existing route
 * as Koa middleware, its handler unchanged; `functionGroup` puts a router's routes in a function group; `errorMiddleware` renders every error as the one error shape,
 * whose schema is `ErrorResponse`; `corsMiddleware` answers browsers as the gateway does. This module only re-exports.
 */
export { addRoute, type RouteHandler, type RouteRegistrar, type RouteSchemas } from './route';
export { route, type RouteMiddleware } from './route-middleware';
export { functionGroup } from './function-group';
export {
  readRouteMeta,
  ROUTE_META,
  FUNCTION_GROUP,
  type BinaryMedia,
  type HttpMethod,
  type RouteAuth,
  type RouteDeclaration,
  type RouteInput,
  type RouteMeta,
  type RouteOverride,
  type TokenClaims,
  type UserPoolAuth,
} from './declaration';
export { claimsOf } from './request-input';
export { ErrorResponse, FieldError, type ErrorBody, type TErrorResponse, type TFieldError } from './error-shape';
export { HttpError, notFound, validationError, STATUS_MESSAGES } from './http-error';
export { consoleLogger, errorMiddleware, type ErrorLogger } from './error-middleware';
export { corsMiddleware, parseOrigins } from './cors';
export { DEFAULT_BODY_LIMIT } from './body';
