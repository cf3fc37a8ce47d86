/** The parcels project's Pulumi program, as `npx koa-apigateway init` writes a user's: the app, its gateway, its outputs. */
import { deployApp } from 'koa-apigateway/pulumi';

export const { url, apiKey, apiKeyId, restApiId, functionName, logGroupName, accessLogGroupName, routes, authorization, userPoolId, userPoolClientId, issuerUrl, customUrl, domainTarget, webAclArn } = deployApp();
