import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAppFile } from '../../../infra/src/app/load';
import { loadStack } from '../../../infra/src/app/load-stack';
import { buildApi, defineApi, planApi, UNDEPLOYED_USER_POOL_ARN } from '../../../infra/src/core/build-api';
import { LOCAL_INVOKE_ARN, USER_POOL_SCHEME, type ApiDefinition } from '../../../infra/src/core/definition';
import { buildOpenApi } from '../../../infra/src/core/openapi/build';
import { parseSettings } from '../../../infra/src/settings/parse';
import { loadApiDocument } from '../../../infra/src/tools/conformance/document';
import { CLI, runProcess, startProcess, type Started } from '../../support/process';
import { copyShop } from '../../support/apps/shop/copy';
import { createShopApp } from '../../support/apps/shop/app';

/** What two documents must agree on: info, every operation (method, path, operationId, security), the security schemes. */
function summary(doc: Record<string, unknown>) {
  const paths = doc.paths as Record<string, Record<string, { operationId?: string; security?: unknown }>>;
  const operations = Object.entries(paths)
    .flatMap(([route, item]) => Object.entries(item).filter(([method]) => method !== 'parameters').map(([method, op]) => `${method.toUpperCase()} ${route} ${op.operationId} ${JSON.stringify(op.security)}`))
    .sort();
  const { title, version } = doc.info as { title: string; version: string };
  return { title, version, operations, securitySchemes: (doc.components as { securitySchemes: unknown }).securitySchemes };
}

/** The environment of a command run in the copy: its own project, nothing of this test run's. */
function projectEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', HOST: '127.0.0.1', API_KEY: 'ShopTestKey0123456789abcdef' };
  for (const name of ['INIT_CWD', 'STACK', 'KOA_APIGATEWAY_APP', 'KOA_APIGATEWAY_BUNDLE_DIR', 'BUNDLE_DIR', 'USER_POOL', 'BASE_PATH']) delete env[name];
  return env;
}

describe('the chain (core/build-api.ts), pure', () => {
  const settings = parseSettings({ userPool: 'create' });

  it('mounts the token routes exactly when the stack has a user pool', () => {
    expect(planApi({ createApp: createShopApp }, settings).methods.map((m) => m.operationId)).toContain('getMe');
    expect(planApi({ createApp: createShopApp }, parseSettings({})).methods.map((m) => m.operationId)).not.toContain('getMe');
  });

  it("gives a created pool a placeholder ARN until it is deployed, an existing pool its own, the caller's when given", () => {
    const spec = planApi({ createApp: createShopApp }, settings);
    const arnOf = (definition: ApiDefinition) => (definition.components.securitySchemes[USER_POOL_SCHEME] as { 'x-amazon-apigateway-authorizer': { providerARNs: string[] } })['x-amazon-apigateway-authorizer'].providerARNs;
    expect(arnOf(defineApi(spec, { title: 't' }, settings))).toEqual([UNDEPLOYED_USER_POOL_ARN]);
    const existing = 'arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbCdEf123';
    expect(arnOf(defineApi(spec, { title: 't' }, parseSettings({ userPool: existing })))).toEqual([existing]);
    expect(arnOf(defineApi(spec, { title: 't' }, settings, { userPoolArn: 'arn:x' }))).toEqual(['arn:x']);
  });

  it('writes the title and version into the definition and the public document alike, and the local invoke ARN by default', () => {
    const api = buildApi({ title: 'shop-api', version: '3.1.0', createApp: createShopApp }, settings, { region: 'eu-west-1' });
    expect(api.definition.info).toEqual({ title: 'shop-api', version: '3.1.0' });
    expect(api.openapi.info).toEqual({ title: 'shop-api', version: '3.1.0' });
    expect(JSON.stringify(api.definition)).toContain(LOCAL_INVOKE_ARN);
    expect(JSON.stringify(api.openapi.servers)).toContain('eu-west-1');
  });
});

describe('one chain: the deployed body, start’s /openapi.json, openapi’s file and the conformance document agree (an app with a user-pool route)', () => {
  let copy: string;
  let gateway: Started | undefined;

  beforeAll(() => {
    copy = copyShop();
  });

  afterAll(async () => {
    await gateway?.stop('SIGTERM');
    rmSync(copy, { recursive: true, force: true });
  });

  it('same info.title and version, same operations with the same security, same security schemes', async () => {
    const env = projectEnv();
    // 1. What `pulumi up` deploys: the project's own index.ts (deployApp) under Pulumi's mocks, the RestApi's body.
    const synth = await runProcess(process.execPath, [CLI, 'synth', '--json', '--out', 'plan.json'], { cwd: copy, env, timeoutMs: 150_000 });
    expect(synth.status, synth.stderr).toBe(0);
    const plan = JSON.parse(readFileSync(path.join(copy, 'plan.json'), 'utf8')) as { resources: { type: string; inputs: Record<string, unknown> }[] };
    const body = JSON.parse(String(plan.resources.find((r) => r.type === 'aws:apigateway/restApi:RestApi')!.inputs.body)) as ApiDefinition;
    // Its public form, derived from the body alone (its own info, no option given).
    const deployed = buildOpenApi(body, { stageName: 'dev' });

    // 2. `koa-apigateway openapi`'s file.
    const written = await runProcess(process.execPath, [CLI, 'openapi'], { cwd: copy, env: { ...env, OUT: 'openapi.json' }, timeoutMs: 60_000 });
    expect(written.status, written.stderr).toBe(0);
    const file = JSON.parse(readFileSync(path.join(copy, 'openapi.json'), 'utf8')) as Record<string, unknown>;

    // 3. `koa-apigateway start`'s /openapi.json.
    gateway = startProcess(process.execPath, [CLI, 'start'], { cwd: copy, env });
    const [, docUrl] = await gateway.waitFor(/OpenAPI: (\S+)/, 90_000);
    await gateway.waitFor(/Local API Gateway listening on/, 30_000);
    const served = (await (await fetch(docUrl!)).json()) as Record<string, unknown>;

    // 4. The conformance suite's document (loadApiDocument, also the client generator's).
    const app = loadAppFile(path.join(copy, 'app.config.ts'));
    const conformance = loadApiDocument({ root: copy, app }) as unknown as Record<string, unknown>;

    const expected = summary(file);
    expect(expected.title).toBe('shop-api');
    expect(expected.version).toBe('3.1.0');
    expect(expected.operations).toContain('GET /me getMe [{"userPoolToken":["shop/read"]}]');
    expect(expected.operations).toContain('GET /health health []');
    expect(Object.keys(expected.securitySchemes as object).sort()).toEqual(['apiKey', 'userPoolToken']);
    expect(summary(deployed), 'the deployed body').toEqual(expected);
    expect(summary(served), "start's /openapi.json").toEqual(expected);
    expect(summary(conformance), 'the conformance document').toEqual(expected);
    // The stack's region reaches the documents built from the files (the deployed URL's default region).
    expect(JSON.stringify(file.servers)).toContain('eu-west-1');
    expect(loadStack({ root: copy, app }).project).toBe('shop-api');
  }, 300_000);
});
