import { lambdaHandler } from 'koa-apigateway/lambda';
import { addAccountRoutes } from '../account/routes';
import { composeApp } from '../compose';
import { repositoryFromEnvironment } from '../todos/from-environment';
import { TodoService } from '../todos/service';

/**
 * The Lambda entry of the `account` function group: the user pool routes, `GET /api/v1/me` and
 * `GET /api/v1/reader/todos`, with the app's middleware (service/compose.ts). Mounted unconditionally: the group
 * is deployed only when the stack has a user pool (without one the whole app does not mount these routes, so the
 * group has none and deploys nothing), and API Gateway checks the token before this function runs
 * (docs/auth.md). Read-only rights on the table (service/infra/storage.ts `readPolicy`).
 */
export const handler = lambdaHandler(composeApp([(router) => addAccountRoutes(router, new TodoService(repositoryFromEnvironment()))]));
