import { lambdaHandler } from 'koa-apigateway/lambda';
import { composeApp } from '../compose';
import { repositoryFromEnvironment } from '../todos/from-environment';
import { addTodoReadRoutes } from '../todos/routes';
import { TodoService } from '../todos/service';

/**
 * The Lambda entry of the `read` function group: `GET /api/v1/todos` and `GET /api/v1/todos/:id`, with the app's
 * middleware (service/compose.ts). They only read: the stack gives this function read-only rights on the table
 * (service/infra/storage.ts `readPolicy`).
 */
export const handler = lambdaHandler(composeApp([(router) => addTodoReadRoutes(router, new TodoService(repositoryFromEnvironment()))]));
