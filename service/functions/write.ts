import { lambdaHandler } from 'koa-apigateway/lambda';
import { composeApp } from '../compose';
import { repositoryFromEnvironment } from '../todos/from-environment';
import { addAttachmentWriteRoutes, addTodoWriteRoutes } from '../todos/routes';
import { TodoService } from '../todos/service';

/**
 * The Lambda entry of the `write` function group: `POST /api/v1/todos` and `PUT`/`PATCH`/`DELETE /api/v1/todos/:id`,
 * and the attachment's upload and removal (`PUT`/`DELETE /api/v1/todos/:id/attachment`), with the app's middleware (service/compose.ts). The stack gives this function the rights its writes need, the
 * reads they make included (service/infra/storage.ts `writePolicy`).
 */
const todos = new TodoService(repositoryFromEnvironment());
export const handler = lambdaHandler(composeApp([(router) => addTodoWriteRoutes(router, todos), (router) => addAttachmentWriteRoutes(router, todos)]));
