import { lambdaHandler } from 'koa-apigateway/lambda';
import { createApp } from './app';
import { repositoryFromEnvironment } from './todos/from-environment';

export { repositoryFromEnvironment };

/**
 * The Lambda entry of the whole app: the product's adapter (infra/src/lambda/handler.ts) around the todo app, built
 * once per cold start and reused by every invocation of this instance. It serves every route (one function for the
 * whole API, and the `default` function group's entry); each function group has its own, smaller entry in
 * service/functions/.
 */
export const handler = lambdaHandler(createApp({ repository: repositoryFromEnvironment() }));
