import { pathToFileURL } from 'node:url';
import type { ProxyHandler } from '../../infra/src/lambda/proxy-event';
import { builtBundle, PARCELS } from './apps';

/** The parcels app's Lambda bundle, as it is deployed, built once per run by tests/global-setup.ts. */
export const BUILT_LAMBDA = builtBundle(PARCELS);

/** Returns the built bundle's `handler`: tests invoke the artifact that is deployed, not only the source. */
export async function builtHandler(): Promise<ProxyHandler> {
  return ((await import(pathToFileURL(BUILT_LAMBDA).href)) as { handler: ProxyHandler }).handler;
}

/** A handler that loads the built bundle on its first call (for `describe.each` tables built before any hook runs). */
export const lazyBuiltHandler: ProxyHandler = async (event, context) => (await builtHandler())(event, context);
