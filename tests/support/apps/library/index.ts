/** The library project's Pulumi program, as a user's: the app, its gateway, its outputs. */
import { deployApp } from 'koa-apigateway/pulumi';

export const { url, apiKey, apiKeyId, restApiId, functionName, logGroupName, routes, authorization } = deployApp();
