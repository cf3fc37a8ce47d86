import { FUNCTION_GROUP } from './declaration';

/** What functionGroup needs of a router: @koa/router's `stack` of layers. */
interface RouterWithStack {
  stack: object[];
}

/**
 * Puts every route of `router` in the function group `name` (docs/functions.md): its routes are served by that
 * group's own Lambda function. Returns the router, typed as passed. Call it before mounting the router
 * (`app.use(router.routes())`, or `parent.use(router.routes())`): @koa/router copies a nested router's routes into
 * its parent when it is mounted, each keeping the group it had. Routes registered on the router afterwards are
 * in the group too; a nested router mounted on it inherits the group unless it has its own (functionGroup on it);
 * a route that names its own (`route({ function })`, addRoute's `function`) keeps that one.
 *
 * The group is recorded on each route layer (a property keyed {@link FUNCTION_GROUP}, which @koa/router's copy of a
 * layer keeps), when the router's `stack` is next read: by the parent mounting it, or by discovery at plan time.
 * Nothing changes how a request is served. The name is checked at plan time (`pulumi preview`), with the route named.
 */
export function functionGroup<R extends object>(router: R, name: string): R {
  const target = router as unknown as RouterWithStack & { [FUNCTION_GROUP]?: string };
  let stack = target.stack;
  if (!Array.isArray(stack)) throw new TypeError('functionGroup(router, name): router is not a @koa/router Router (it has no stack of routes).');
  const mark = (layers: object[]) => {
    for (const layer of layers) {
      const marked = layer as { [FUNCTION_GROUP]?: string };
      // Enumerable, so @koa/router's copy of the layer (Object.assign) keeps it.
      if (marked[FUNCTION_GROUP] === undefined) Object.defineProperty(marked, FUNCTION_GROUP, { value: name, enumerable: true, writable: true, configurable: true });
    }
    return layers;
  };
  Object.defineProperty(target, FUNCTION_GROUP, { value: name, enumerable: true, writable: true, configurable: true });
  Object.defineProperty(target, 'stack', {
    configurable: true,
    enumerable: true,
    get: () => mark(stack),
    set: (value: object[]) => {
      stack = value;
    },
  });
  return router;
}
