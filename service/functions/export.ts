import { lambdaHandler } from 'koa-apigateway/lambda';
import { composeApp } from '../compose';
import { repositoryFromEnvironment } from '../todos/from-environment';
import { addTodoExportRoutes } from '../todos/routes';
import { TodoService } from '../todos/service';

/**
 * The Lambda entry of the `export` function group: `GET /api/v1/todos.csv`, the CSV export, a body streamed from
 * the store a page at a time, with the app's middleware (service/compose.ts). A group of its own so its response
 * mode can differ from the JSON routes' (a streamed response, once the group declares one). It only reads: the
 * stack gives it read-only rights on the table (service/infra/storage.ts `readPolicy`).
 */
export const handler = lambdaHandler(composeApp([(router) => addTodoExportRoutes(router, new TodoService(repositoryFromEnvironment()))]));
