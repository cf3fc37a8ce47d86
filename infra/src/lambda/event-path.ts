/**
 * Returns the path the app routes on for a REST proxy event: `path` without any base path.
 *
 * Behind a custom domain's base-path mapping (`api.example.com/shop` → the stage), API Gateway puts the
 * base path in `event.path` (`/shop/api/v1/orders`) but not in `resource` (`/api/v1/orders`) or
 * `pathParameters` (CodeGenieApp/serverless-express#216, vincentsarago/lambda-proxy#16): routing on
 * `path` would 404 a route API Gateway matched. The route's own path is the resource with its path
 * parameters filled in; when `path` ends with it, what comes before is the base path and is dropped.
 * A `path` that is already the route's (the stage's own URL) is returned as it is, trailing slash and
 * all; so is `path` when the event has no resource (a hand-made event). `requestContext.path` keeps
 * the public path, base path included, for building links (Location).
 */
export function appPath(path: string, resource: string | undefined, pathParameters: Record<string, string> | null | undefined): string {
  if (typeof resource !== 'string' || !resource.startsWith('/')) return path;
  const route = routeOf(resource, pathParameters ?? {});
  if (route === undefined) return path;
  const trimmed = path.length > 1 ? path.replace(/\/+$/, '') : path;
  if (trimmed === route || (route === '/' && trimmed === '')) return path;
  if (route === '/') return '/';
  // `route` starts with `/`: a match always begins at a segment boundary.
  if (trimmed.endsWith(route)) return path.slice(trimmed.length - route.length);
  return path;
}

/** Returns `resource` with each `{name}` / `{name+}` replaced by its path parameter, or undefined when one is missing. */
function routeOf(resource: string, pathParameters: Record<string, string>): string | undefined {
  let missing = false;
  const route = resource.replace(/\{([^}+]+)\+?\}/g, (_, name: string) => {
    const value = Object.hasOwn(pathParameters, name) ? pathParameters[name] : undefined;
    if (typeof value !== 'string') missing = true;
    return value ?? '';
  });
  return missing ? undefined : route;
}
