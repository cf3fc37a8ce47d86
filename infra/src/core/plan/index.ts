import type Koa from 'koa';
import type { RouteOverride } from '../../route/declaration';
import { discoverRoutes } from './discover';
import { applyRouteOverrides } from './overrides';
import { planGatewaySpec } from './plan';
import type { GatewaySpec } from './types';

export type * from './types';
export { discoverRoutes, type DiscoveredRoute } from './discover';
export { applyRouteOverrides } from './overrides';
export { planGatewaySpec } from './plan';
export { toGatewayPath, buildResourceTree, slugOfPath, MAX_RESOURCES, type GatewayPath } from './paths';
export { toDraft04, modelName, ModelConversionError, DRAFT_04 } from './models';
export { hashOf, canonicalJson } from './hash';

/**
 * Returns the gateway spec of the routes `app` really serves: discovery, the app descriptor's `routes`
 * entries (`overrides`: pass the descriptor's `routes`; see applyRouteOverrides), then pure planning.
 * Throws, naming the route or entry and the fix, for anything API Gateway cannot deploy.
 */
export function buildGatewaySpec(app: Koa, overrides?: Readonly<Record<string, RouteOverride>>): GatewaySpec {
  return planGatewaySpec(applyRouteOverrides(discoverRoutes(app), overrides));
}
