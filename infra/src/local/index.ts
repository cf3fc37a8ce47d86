/**
 * The local API Gateway: the deployed stage's request pipeline (./pipeline.ts, one module per stage)
 * behind an HTTP server (./server.ts). This module only re-exports.
 */
export { createGateway, type Gateway } from './server';
export type { GatewayOptions } from './pipeline';
export { MAX_INVOKE_BYTES, MAX_PAYLOAD_BYTES, MAX_REQUEST_LINE_AND_HEADERS_BYTES } from './request';
export { basePathRoute, normaliseBasePath } from './stage-routing';
export type { LambdaHandler } from './integration';
export type { LocalFunction } from './function-process';
export { functionOfInvokeArn } from '../core/definition/document';
export { createRouter } from './router';
export { readDefinition, type DeployedApi, type DeployedMethod } from './definition';
