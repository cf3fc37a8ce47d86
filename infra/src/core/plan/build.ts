import type Koa from 'koa';
import type { RouteOverride } from '../../route/declaration';
import { discoverRoutes } from './discover';
import { applyRouteOverrides } from './overrides';
import { planGatewaySpec } from './plan';
import type { GatewaySpec } from './types';
import type { FunctionGroups } from './functions';

/**
 * Returns the gateway spec of the routes `app` really serves: discovery, the app descriptor's `routes`
 * entries (`overrides`: pass the descriptor's `routes`; see applyRouteOverrides), then pure planning with the
 * descriptor's function groups (`functions`; see assignFunctions).
 * Throws, naming the route or entry and the fix, for anything API Gateway cannot deploy.
 */
export function buildGatewaySpec(app: Koa, overrides?: Readonly<Record<string, RouteOverride>>, functions?: FunctionGroups): GatewaySpec {
  return planGatewaySpec(applyRouteOverrides(discoverRoutes(app), overrides), functions);
}
