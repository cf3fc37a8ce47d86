import { lambdaHandler } from 'koa-apigateway/lambda';
import { composeApp } from '../compose';
import { repositoryFromEnvironment } from '../todos/from-environment';
import { addAttachmentReadRoutes, addTodoReadRoutes } from '../todos/routes';
import { TodoService } from '../todos/service';

/**
 * The Lambda entry of the `read` function group: `GET /api/v1/todos`, `GET /api/v1/todos/:id` and the attachment's download
 * `GET /api/v1/todos/:id/attachment`, with the app's
 * middleware (service/compose.ts). They only read: the stack gives this function read-only rights on the table
 * (service/infra/storage.ts `readPolicy`).
 */
const todos = new TodoService(repositoryFromEnvironment());
export const handler = lambdaHandler(composeApp([(router) => addTodoReadRoutes(router, todos), (router) => addAttachmentReadRoutes(router, todos)]));
