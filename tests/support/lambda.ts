import { pathToFileURL } from 'node:url';
import type { ProxyHandler } from '../../infra/src/lambda/proxy-event';
import { builtBundle, PARCELS } from './apps';

/** The parcels app's Lambda bundle, as it is deployed, built once per run by tests/global-setup.ts. */
export const BUILT_LAMBDA = builtBundle(PARCELS);

/** Returns the `handler` of a built bundle (default: the parcels app's): tests invoke the artifact that is deployed, not only the source. */
export async function builtHandler(file: string = BUILT_LAMBDA): Promise<ProxyHandler> {
  return ((await import(pathToFileURL(file).href)) as { handler: ProxyHandler }).handler;
}

/** A handler that loads the built bundle `file()` names on its first call (for `describe.each` tables built before any hook runs). */
export function lazyHandler(file: () => string): ProxyHandler {
  return async (event, context) => (await builtHandler(file()))(event, context);
}

/** The parcels app's built handler, loaded on its first call. */
export const lazyBuiltHandler: ProxyHandler = lazyHandler(() => BUILT_LAMBDA);
