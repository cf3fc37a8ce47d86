import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleLambda, type BundleResult } from '../../../infra/src/bundle/bundle';
import { discoverRoutes } from '../../../infra/src/core/plan/discover';
import { createApp } from '../../../service/app';
import { FUNCTION_GROUPS, type FunctionGroupName } from '../../../service/functions/groups';
import { ATTACHMENT_MEDIA_TYPES } from '../../../service/todos/schemas';
import { ensureTable, startLocalDynamo, type LocalDynamo } from '../../../service/infra/local-dynamo';
import { apiEvent, type ProxyEvent, type ProxyResult } from '../../support/events';
import { startProcess } from '../../support/process';

const ROOT = path.resolve(__dirname, '../../..');
const CHILD = path.join(__dirname, 'support', 'bundle-child.mjs');
const GROUPS = Object.keys(FUNCTION_GROUPS) as FunctionGroupName[];
const BY_ID = '/api/v1/todos/{id}';

/** One function instance: its bundle loaded in a process of its own, invoked over loopback HTTP. */
interface Instance {
  invoke(event: ProxyEvent): Promise<ProxyResult>;
  stop(): Promise<unknown>;
}

/** Starts `bundle` in a fresh `node` process with `env` (a cold start) and returns once it has loaded. */
async function startInstance(bundle: string, env: NodeJS.ProcessEnv): Promise<Instance> {
  const child = startProcess(process.execPath, [CHILD, bundle], { env });
  const port = (await child.waitFor(/READY (\d+)/, 30_000))[1]!;
  return {
    async invoke(event) {
      const res = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: JSON.stringify(event) });
      if (res.status !== 200) throw new Error(`${bundle} failed: ${await res.text()}`);
      return (await res.json()) as ProxyResult;
    },
    stop: () => child.stop(),
  };
}

/** The claims a Cognito user pool authorizer puts in the event of a user pool route (an access token with `todos/read`). */
const CLAIMS = { sub: '8f2c1a3e-0000-4000-8000-000000000001', 'cognito:username': 'reader', token_use: 'access', scope: 'todos/read', client_id: 'client-1' };

/** One request of the walk: the route it is for (`METHOD /path` as registered) and its event as API Gateway sends it. */
interface Step {
  route: string;
  event: ProxyEvent;
}

/**
 * The walk through every route: each step made from the answers so far (the created todo's id and ETag). Sent once
 * to the whole app and once to the group functions, each against its own table: the answers must be the same.
 * `key` is the create's Idempotency-Key, from which the todo's id is derived: the same in both runs.
 */
function* walk(key: string): Generator<Step, void, ProxyResult> {
  yield { route: 'GET /health', event: apiEvent('GET', '/health', { public: true }) };
  const created = yield { route: 'POST /api/v1/todos', event: apiEvent('POST', '/api/v1/todos', { body: { title: 'Buy milk', priority: 'high' }, headers: { 'Idempotency-Key': key } }) };
  const id = (JSON.parse(created.body) as { id: string }).id;
  const byId = (method: string, options: Parameters<typeof apiEvent>[2] = {}) => apiEvent(method, `/api/v1/todos/${id}`, { resource: BY_ID, pathParameters: { id }, ...options });
  yield { route: 'POST /api/v1/todos', event: apiEvent('POST', '/api/v1/todos', { body: { title: 'Buy milk', priority: 'high' }, headers: { 'Idempotency-Key': key } }) };
  yield { route: 'POST /api/v1/todos', event: apiEvent('POST', '/api/v1/todos', { body: { title: '', priority: 'urgent' } }) };
  yield { route: 'GET /api/v1/todos', event: apiEvent('GET', '/api/v1/todos?limit=10') };
  yield { route: 'GET /api/v1/todos/:id', event: byId('GET') };
  yield { route: 'PUT /api/v1/todos/:id', event: byId('PUT', { body: { title: 'Buy oat milk', priority: 'low' } }) };
  yield { route: 'PATCH /api/v1/todos/:id', event: byId('PATCH', { body: { completed: true }, headers: { 'If-Match': '"1"' } }) };
  yield { route: 'PATCH /api/v1/todos/:id', event: byId('PATCH', { body: { completed: true } }) };
  yield { route: 'GET /api/v1/todos', event: apiEvent('GET', '/api/v1/todos?completed=true&priority=low') };
  yield { route: 'GET /api/v1/reader/todos', event: apiEvent('GET', '/api/v1/reader/todos?limit=5', { public: true, authorizer: { claims: CLAIMS } }) };
  const pdf = '%PDF-1.4\n% a small file\n%%EOF\n';
  const attachment = (method: string, options: Parameters<typeof apiEvent>[2] = {}, query = '') =>
    apiEvent(method, `/api/v1/todos/${id}/attachment${query}`, { resource: `${BY_ID}/attachment`, pathParameters: { id }, ...options });
  yield { route: 'PUT /api/v1/todos/:id/attachment', event: attachment('PUT', { body: pdf, base64: true, headers: { 'Content-Type': 'application/pdf' } }, '?filename=plan.pdf') };
  yield { route: 'PUT /api/v1/todos/:id/attachment', event: attachment('PUT', { body: pdf, headers: { 'Content-Type': 'text/plain' } }) };
  yield { route: 'GET /api/v1/todos/:id/attachment', event: attachment('GET', { headers: { Accept: 'application/pdf' } }) };
  yield { route: 'GET /api/v1/todos.csv', event: apiEvent('GET', '/api/v1/todos.csv', { headers: { Accept: 'text/csv' } }) };
  const detached = yield { route: 'DELETE /api/v1/todos/:id/attachment', event: attachment('DELETE', { headers: { 'If-Match': '*' } }) };
  yield { route: 'GET /api/v1/todos/:id/attachment', event: attachment('GET', { headers: { Accept: 'application/pdf' } }) };
  yield { route: 'GET /api/v1/me', event: apiEvent('GET', '/api/v1/me', { authorizer: { claims: { ...CLAIMS, token_use: 'id', email: 'reader@example.com' } } }) };
  yield { route: 'DELETE /api/v1/todos/:id', event: byId('DELETE', { headers: { 'If-Match': detached.headers!.etag! } }) };
  yield { route: 'GET /api/v1/todos/:id', event: byId('GET') };
  yield { route: 'GET /api/v1/todos/:id', event: apiEvent('GET', '/api/v1/todos/not-a-uuid', { resource: BY_ID, pathParameters: { id: 'not-a-uuid' } }) };
}

/** Runs the walk, each step through `invoke(route)`, and returns the answers, with what differs between two runs (times, an instance's uptime) masked. */
async function runWalk(key: string, invoke: (route: string, event: ProxyEvent) => Promise<ProxyResult>) {
  const answers: Array<{ route: string; statusCode: number; headers: unknown; body: unknown }> = [];
  const steps = walk(key);
  let next = steps.next();
  while (!next.done) {
    const { route, event } = next.value;
    const result = await invoke(route, event);
    // A binary answer stays base64 (as API Gateway receives it); CSV stays text, its times masked below.
    const isJson = /json/.test(String(result.headers?.['content-type'] ?? 'application/json'));
    const body = result.isBase64Encoded ? { base64: result.body } : result.body && isJson ? (JSON.parse(result.body) as unknown) : result.body.replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, '<time>');
    answers.push({ route, statusCode: result.statusCode, headers: result.headers, body: JSON.parse(JSON.stringify(body).replace(/"(createdAt|updatedAt)":"[^"]+"/g, '"$1":"<time>"').replace(/"uptimeSeconds":\d+/g, '"uptimeSeconds":"<seconds>"')) });
    next = steps.next(result);
  }
  return answers;
}

/** The group whose routes include `route`. */
const groupOf = (route: string): FunctionGroupName => GROUPS.find((g) => (FUNCTION_GROUPS[g].routes as readonly string[]).includes(route))!;

describe("the example's function groups, each entry bundled as deployed (service/functions/*.ts)", () => {
  let dir = '';
  let local: LocalDynamo;
  const bundles = new Map<FunctionGroupName | 'whole', BundleResult>();
  const instances: Instance[] = [];

  /** Starts `bundle` as a function of the stack with a user pool, using its own table of the local DynamoDB. */
  async function instance(bundle: string, tableName: string): Promise<Instance> {
    // BINARY_MEDIA_TYPES as the stack gives every function (docs/binary.md): the attachment's types.
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_OPTIONS: '', CORS_ORIGINS: '', BINARY_MEDIA_TYPES: ATTACHMENT_MEDIA_TYPES.join(','), TODOS_TABLE: tableName, AWS_ENDPOINT_URL_DYNAMODB: local.endpoint, AWS_REGION: 'us-east-1', USER_POOL_ID: 'us-east-1_example' };
    const started = await startInstance(bundle, env);
    instances.push(started);
    return started;
  }

  beforeAll(async () => {
    await mkdir(path.join(ROOT, 'dist'), { recursive: true });
    // Inside the project: the bundles resolve the external SDK from its node_modules, as in Lambda.
    dir = await mkdtemp(path.join(ROOT, 'dist', 'example-groups-'));
    local = await startLocalDynamo();
    bundles.set('whole', await bundleLambda({ root: ROOT, outDir: path.join(dir, 'whole') }));
    for (const group of GROUPS) bundles.set(group, await bundleLambda({ root: ROOT, outDir: path.join(dir, group), entry: FUNCTION_GROUPS[group].lambda }));
  }, 120_000);
  afterAll(async () => {
    await Promise.all(instances.map((i) => i.stop()));
    await local?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('the groups claim every route of the whole app (user pool routes included) exactly once', () => {
    const routes = discoverRoutes(createApp({ userPool: true })).map((r) => `${r.method} ${r.koaPath}`);
    const claimed = GROUPS.flatMap((g) => FUNCTION_GROUPS[g].routes);
    expect([...claimed].sort()).toEqual([...routes].sort());
  });

  it('answer every route as the whole app does: the same walk through the API, on a table shared by the groups as deployed', async () => {
    const tableA = `todos-${randomUUID()}`;
    const tableB = `todos-${randomUUID()}`;
    await ensureTable(local.endpoint, tableA);
    await ensureTable(local.endpoint, tableB);
    const whole = await instance(bundles.get('whole')!.file, tableA);
    const groups = new Map<FunctionGroupName, Instance>();
    for (const group of GROUPS) groups.set(group, await instance(bundles.get(group)!.file, tableB));

    const served: string[] = [];
    const key = randomUUID();
    const expected = await runWalk(key, (_route, event) => whole.invoke(event));
    const actual = await runWalk(key, (route, event) => {
      served.push(`${route} → ${groupOf(route)}`);
      return groups.get(groupOf(route))!.invoke(event);
    });
    expect(actual).toEqual(expected);
    // The walk is worth something: it created, read, changed and deleted through different functions.
    expect(expected.map((a) => a.statusCode)).toEqual([200, 201, 201, 400, 200, 200, 200, 412, 200, 200, 200, 200, 415, 200, 200, 200, 404, 200, 204, 404, 400]);
    // The download is the PDF's bytes, base64 as lambdaHandler answers a binary type; the export names its file.
    const download = expected[13]!;
    expect(download.body).toEqual({ base64: Buffer.from('%PDF-1.4\n% a small file\n%%EOF\n').toString('base64') });
    expect(download.headers).toMatchObject({ 'content-type': 'application/pdf', 'content-disposition': `attachment; filename="plan.pdf"; filename*=UTF-8''plan.pdf` });
    expect(expected[14]!.body).toMatch(/^id,title,description,priority,completed,createdAt,updatedAt,attachment\r\n[0-9a-f-]{36},Buy oat milk,,low,true,<time>,<time>,plan\.pdf\r\n$/);
    expect(new Set(served.map((s) => s.split(' → ')[1]))).toEqual(new Set(GROUPS));
  }, 60_000);

  it.each(GROUPS)("%s: another group's route is not mounted (404; 405 where it mounts another method of the same path)", async (group) => {
    const own = FUNCTION_GROUPS[group].routes as readonly string[];
    const ownPaths = new Set(own.map((r) => r.split(' ')[1]));
    const fn = await instance(bundles.get(group)!.file, `todos-${randomUUID()}`);
    for (const other of GROUPS.filter((g) => g !== group).flatMap((g) => FUNCTION_GROUPS[g].routes)) {
      const [method, koaPath] = other.split(' ') as [string, string];
      const id = randomUUID();
      const event = apiEvent(method, koaPath.replace(':id', id), {
        resource: koaPath.replace(':id', '{id}'),
        ...(koaPath.includes(':id') ? { pathParameters: { id } } : {}),
        ...(method !== 'GET' && method !== 'DELETE' ? { body: { title: 'x' } } : {}),
        authorizer: { claims: CLAIMS },
      });
      const res = await fn.invoke(event);
      if (ownPaths.has(koaPath)) {
        expect({ route: other, status: res.statusCode }).toEqual({ route: other, status: 405 });
        expect(res.headers?.allow?.split(/,\s*/)).not.toContain(method);
      } else {
        expect({ route: other, status: res.statusCode }).toEqual({ route: other, status: 404 });
      }
    }
  });

  it('health bundles neither the todo service nor the DynamoDB repository nor the AWS SDK, and is the smallest', async () => {
    const inputs = (group: FunctionGroupName | 'whole') => Object.keys(Object.values(bundles.get(group)!.metafile.outputs).find((o) => o.entryPoint !== undefined)!.inputs);
    const health = inputs('health');
    expect(health.filter((i) => i.startsWith('service/todos/') || i.startsWith('service/account/'))).toEqual([]);
    expect(await readFile(bundles.get('health')!.file, 'utf8')).not.toContain('@aws-sdk/');
    // The account routes are in the whole app and the account function only.
    for (const group of ['health', 'read', 'write'] as const) expect(inputs(group).filter((i) => i.startsWith('service/account/'))).toEqual([]);
    const size = async (group: FunctionGroupName | 'whole') => (await readFile(bundles.get(group)!.file)).length;
    for (const group of GROUPS) expect(await size(group), group).toBeLessThan(await size('whole'));
    for (const group of GROUPS.filter((g) => g !== 'health')) expect(await size('health'), group).toBeLessThan(await size(group));
  });
});
