import type Koa from 'koa';
import { discoverRoutes } from './discover';
import { planGatewaySpec } from './plan';
import type { GatewaySpec } from './types';

export type * from './types';
export { discoverRoutes, type DiscoveredRoute } from './discover';
export { planGatewaySpec } from './plan';
export { toGatewayPath, buildResourceTree, slugOfPath, MAX_RESOURCES, type GatewayPath } from './paths';
export { toDraft04, modelName, ModelConversionError, DRAFT_04 } from './models';
export { hashOf, canonicalJson } from './hash';

/**
 * Returns the gateway spec of the routes `app` really serves: discovery, then pure planning.
 * Throws, naming the route and the fix, for anything API Gateway cannot deploy.
 */
export function buildGatewaySpec(app: Koa): GatewaySpec {
  return planGatewaySpec(discoverRoutes(app));
}
