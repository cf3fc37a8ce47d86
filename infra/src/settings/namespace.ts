import { UnknownNamespaceError } from '../errors';
import { closest } from './suggest';

/** Namespaces of providers this program uses, never taken for a misspelt project name. */
const PROVIDER_NAMESPACES = ['aws', 'pulumi'];

/**
 * The package's name: the namespace of this repository's own keys (`koa-apigateway:rateLimit`), which a project of
 * another name copies from examples and docs; under any other project's name it is never read.
 */
const PACKAGE_NAMESPACE = 'koa-apigateway';

/**
 * True when `namespace` is not the project's nor a provider's but close to the project's name (a typo of it), or is
 * the package's name (keys copied from this package's examples into a project named otherwise).
 */
function looksLikeProjectTypo(namespace: string, project: string): boolean {
  const ns = namespace.toLowerCase();
  const name = project.toLowerCase();
  if (namespace === project || PROVIDER_NAMESPACES.includes(namespace)) return false;
  if (ns === PACKAGE_NAMESPACE) return true;
  // `koa-apigateway-pulumi` (the npm package's name), `koa_apigateway`, `koa-apigatway`, `koa-api-gateway`.
  const squash = (t: string) => t.replace(/[-_.]/g, '');
  return ns.startsWith(name) || (name.startsWith(ns) && ns.length >= 4) || squash(ns) === squash(name) || closest(ns, [name]) !== undefined;
}

/**
 * Throws UnknownNamespaceError for the first of `keys` (`namespace:name` config keys) whose namespace is a
 * near miss of `project` (see {@link UnknownNamespaceError}). Used by every reader: `pulumi up` and the commands.
 */
export function assertProjectNamespace(keys: Iterable<string>, project: string): void {
  for (const key of keys) if (key.includes(':') && looksLikeProjectTypo(key.slice(0, key.indexOf(':')), project)) throw new UnknownNamespaceError(key, project);
}
