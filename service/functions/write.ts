import { lambdaHandler } from 'koa-apigateway/lambda';
import { composeApp } from '../compose';
import { repositoryFromEnvironment } from '../todos/from-environment';
import { addTodoWriteRoutes } from '../todos/routes';
import { TodoService } from '../todos/service';

/**
 * The Lambda entry of the `write` function group: `POST /api/v1/todos` and `PUT`/`PATCH`/`DELETE /api/v1/todos/:id`,
 * with the app's middleware (service/compose.ts). The stack gives this function the rights its writes need, the
 * reads they make included (service/infra/storage.ts `writePolicy`).
 */
export const handler = lambdaHandler(composeApp([(router) => addTodoWriteRoutes(router, new TodoService(repositoryFromEnvironment()))]));
