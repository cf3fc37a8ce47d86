import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type Koa from 'koa';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addAccountRoutes } from '../../../service/account/routes';
import { composeApp, type Mount } from '../../../service/compose';
import { ensureTable, startLocalDynamo, type LocalDynamo } from '../../../service/infra/local-dynamo';
import { tableAccessPolicy } from '../../../service/infra/storage';
import { DynamoTodoRepository } from '../../../service/todos/dynamo-repository';
import { addTodoReadRoutes, addTodoWriteRoutes } from '../../../service/todos/routes';
import { TodoService } from '../../../service/todos/service';

const TABLE_ARN = 'arn:aws:dynamodb:us-east-1:123456789012:table/todos';
const INDEX_ARN = `${TABLE_ARN}/index/byStatus`;

/** One DynamoDB call as IAM authorizes it: the action and the resource (the table, or the index a Query names). */
type Call = `${string} on ${string}`;

/** Returns the calls a policy document allows, as `action on resource`. */
const granted = (document: ReturnType<typeof tableAccessPolicy>): Set<Call> =>
  new Set(document.Statement.flatMap((s) => s.Action.flatMap((a) => s.Resource.map((r): Call => `${a} on ${r}`))));

/**
 * The group policies against what each group's routes really make the repository send to DynamoDB (dynalite on
 * loopback; every command recorded by a client middleware): the policy grants every call its routes make (else
 * AccessDenied, a 500, deployed) and nothing they never make (least privilege). IAM itself is not emulated: the
 * calls are compared with the grants (action, and the resource each call is authorized against: the table, or
 * the index a Query names; Authorization for DynamoDB, "Resource types defined by Amazon DynamoDB",
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazondynamodb.html).
 */
describe("each function group's table policy is exactly what its routes call", () => {
  let local: LocalDynamo;
  beforeAll(async () => {
    local = await startLocalDynamo();
  }, 60_000);
  afterAll(() => local?.close());

  /** Serves `mount` (composeApp, as the group's entry does) over loopback with a fresh table; returns a caller and the calls made. */
  async function serveGroup(mount: (todos: TodoService) => Mount, claims?: Record<string, string>) {
    const tableName = `todos-${randomUUID()}`;
    await ensureTable(local.endpoint, tableName);
    const calls = new Set<Call>();
    const client = new DynamoDBClient({ endpoint: local.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as { IndexName?: string };
        calls.add(`dynamodb:${String(context.commandName).replace(/Command$/, '')} on ${input.IndexName ? INDEX_ARN : TABLE_ARN}`);
        return next(args);
      },
      { step: 'initialize', name: 'recordCalls' },
    );
    const todos = new TodoService(new DynamoTodoRepository({ tableName, client }));
    const app: Koa = composeApp([mount(todos)], { logger: { error: () => {} }, corsOrigins: [] });
    const callback = app.callback();
    // A user pool route reads the claims API Gateway's authorizer put in the event (serverless-http attaches its requestContext to the request).
    const server = createServer((req, res) => callback(Object.assign(req, claims && { requestContext: { authorizer: { claims } } }), res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const call = async (method: string, path: string, body?: object, headers: Record<string, string> = {}) => {
      const res = await fetch(base + path, { method, headers: { ...(body && { 'content-type': 'application/json' }), ...headers }, body: body && JSON.stringify(body) });
      return { status: res.status, etag: res.headers.get('etag'), json: (await res.text().then((t) => (t ? JSON.parse(t) : undefined))) as { id?: string } };
    };
    const close = async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      client.destroy();
    };
    return { todos, calls, call, close };
  }

  it('write (POST, PUT, PATCH, DELETE, every path that reads included) calls GetItem, PutItem, DeleteItem on the table: the write policy', async () => {
    const group = await serveGroup((todos) => (router) => addTodoWriteRoutes(router, todos));
    try {
      const created = await group.call('POST', '/api/v1/todos', { title: 'a' });
      expect(created.status).toBe(201);
      const id = created.json.id!;
      const key = { 'idempotency-key': randomUUID() };
      expect((await group.call('POST', '/api/v1/todos', { title: 'b' }, key)).status).toBe(201);
      // The replay: the conditional put fails, the todo is read.
      expect((await group.call('POST', '/api/v1/todos', { title: 'b' }, key)).status).toBe(201);
      expect((await group.call('PUT', `/api/v1/todos/${id}`, { title: 'c' })).status).toBe(200);
      expect((await group.call('PATCH', `/api/v1/todos/${id}`, { completed: true }, { 'if-match': '"stale"' })).status).toBe(412);
      const current = await group.call('PATCH', `/api/v1/todos/${id}`, { completed: true });
      expect((await group.call('DELETE', `/api/v1/todos/${id}`, undefined, { 'if-match': current.etag! })).status).toBe(204);
      expect((await group.call('DELETE', `/api/v1/todos/${id}`)).status).toBe(404);
      expect([...group.calls].sort()).toEqual([...granted(tableAccessPolicy(TABLE_ARN, 'write'))].sort());
    } finally {
      await group.close();
    }
  });

  it('read (list, filtered list, get) calls GetItem on the table and Query on the index: the read policy', async () => {
    const group = await serveGroup((todos) => (router) => addTodoReadRoutes(router, todos));
    try {
      const { id } = await group.todos.create({ title: 'seen' });
      group.calls.clear();
      expect((await group.call('GET', '/api/v1/todos')).status).toBe(200);
      expect((await group.call('GET', '/api/v1/todos?completed=false&priority=low&limit=1')).status).toBe(200);
      expect((await group.call('GET', `/api/v1/todos/${id}`)).status).toBe(200);
      expect((await group.call('GET', `/api/v1/todos/${randomUUID()}`)).status).toBe(404);
      expect([...group.calls].sort()).toEqual([...granted(tableAccessPolicy(TABLE_ARN, 'read'))].sort());
    } finally {
      await group.close();
    }
  });

  it('account (the reader list; GET /api/v1/me reads only the token) calls nothing the read policy does not grant', async () => {
    const claims = { sub: 'user-1', token_use: 'access', scope: 'todos/read' };
    const group = await serveGroup((todos) => (router) => addAccountRoutes(router, todos), claims);
    try {
      expect((await group.call('GET', '/api/v1/reader/todos?limit=5')).status).toBe(200);
      expect((await group.call('GET', '/api/v1/me')).status).toBe(200);
      const read = granted(tableAccessPolicy(TABLE_ARN, 'read'));
      expect(group.calls.size).toBeGreaterThan(0);
      for (const call of group.calls) expect(read, call).toContain(call);
    } finally {
      await group.close();
    }
  });
});
