import { deployApp } from 'koa-apigateway/pulumi';

/** The shop's whole Pulumi program, as a user's index.ts is. */
export const { url, apiKey, routes, authorization, userPoolId } = deployApp();
