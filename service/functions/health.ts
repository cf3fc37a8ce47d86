import { lambdaHandler } from 'koa-apigateway/lambda';
import { composeApp } from '../compose';
import { addHealthRoute } from '../health/routes';

/**
 * The Lambda entry of the `health` function group: `GET /health` only, with the app's middleware (service/compose.ts).
 * It imports no storage: its bundle holds neither the todo service nor the DynamoDB repository, and the function
 * gets no table and no table rights.
 */
export const handler = lambdaHandler(composeApp([(router) => addHealthRoute(router)]));
