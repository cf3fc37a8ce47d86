import { lambdaHandler } from 'koa-apigateway/lambda';
import { createShopApp } from './app';

/** The shop's Lambda entry: its token route is mounted when the stack gives the function a user pool. */
export const handler = lambdaHandler(createShopApp({ userPool: process.env.USER_POOL_ID !== undefined }));
