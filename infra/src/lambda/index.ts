/**
 * `koa-apigateway/lambda`: the Lambda entry of a Koa app, `export const handler = lambdaHandler(createApp())`,
 * and the API Gateway proxy event it takes. This module only re-exports.
 */
export { lambdaHandler, type LambdaHandlerOptions } from './handler';
export { streamingLambdaHandler, RESPONSE_TRANSFER_MODE_VARIABLE, type ResponseStream, type StreamingHandler, type StreamMetadata, type AwsLambdaRuntime } from './streaming';
export { binaryResponseTest, BINARY_MEDIA_TYPES_VARIABLE } from './binary';
export type { ProxyEvent, ProxyHandler, ProxyIdentity, ProxyRequestContext, ProxyResult } from './proxy-event';
