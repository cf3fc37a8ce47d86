import type Koa from 'koa';
import { discoverRoutes } from './discover';
import { planGatewaySpec } from './plan';
import type { GatewaySpec } from './types';

/**
 * Returns the gateway spec of the routes `app` really serves: discovery, then pure planning.
 * Throws, naming the route and the fix, for anything API Gateway cannot deploy.
 */
export function buildGatewaySpec(app: Koa): GatewaySpec {
  return planGatewaySpec(discoverRoutes(app));
}
