/**
 * `koa-apigateway`: the app descriptor. A project's `app.config.ts` does
 * `export default defineApp({ name, title, version, createApp, lambda, watch })`; every command and the
 * Pulumi program read the app through it. This module only re-exports.
 */
export { defineApp, type AppDescriptor, type FunctionGroup, type FunctionGroups, type LoadedApp, type LocalServices, type LocalServicesContext } from './app/descriptor';
export type { AppSettingDeclaration, AppSettingDeclarations } from './settings/types';
export type { Contract, ContractContext } from './tools/conformance/contract';
export type { RouteOverride } from './route/declaration';
export { VisibleError } from './errors';
