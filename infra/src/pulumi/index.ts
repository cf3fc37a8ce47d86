/**
 * `koa-apigateway/pulumi`: the deployment. `deployApp()` is a project's whole Pulumi program; `KoaGateway`
 * is the component it creates, for programs that build the spec themselves. This module only re-exports.
 */
export { deployApp, type AppResources, type AppResourcesContext, type DeployAppOptions, type DeployedApp } from './program';
export { KoaGateway, KOA_GATEWAY_TYPE, ACCESS_LOG_FORMAT, ACCOUNT_SETTINGS_ID, cloudWatchRolePrefix, type KoaGatewayArgs, type AccountLogging, type FunctionOutput, type FunctionResources } from './component';
export { readPulumiSettings } from './config';
export type { KoaGatewayTransforms, Transform } from './transform';
export { buildGatewaySpec } from '../core/plan';
export type { GatewaySpec } from '../core/plan/types';
export type { GatewaySettings, GatewaySettingsInput } from '../settings/types';
