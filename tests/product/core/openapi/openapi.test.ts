import { describe, expect, it } from 'vitest';
import { buildApiDefinition, LOCAL_INVOKE_ARN } from '../../../../infra/src/core/definition';
import { buildOpenApi, toOpenApiSchema } from '../../../../infra/src/core/openapi/build';
import { validateOpenApi } from '../../../../infra/src/core/openapi/validate';
import { buildGatewaySpec } from '../../../../infra/src/core/plan';
import type { GatewaySpec } from '../../../../infra/src/core/plan/types';
import { PARCELS } from '../../../support/apps';
import { createParcelsApp as createApp } from '../../../support/apps/parcels/app';
import { runProcess, CLI } from '../../../support/process';

type Doc = {
  openapi: string;
  servers: Array<{ url: string; variables?: Record<string, { default: string }> }>;
  paths: Record<string, Record<string, any>>;
  components: { schemas: Record<string, any>; securitySchemes: Record<string, any> };
};

const spec: GatewaySpec = buildGatewaySpec(createApp());
const definition = buildApiDefinition(spec, { corsOrigins: ['https://app.example'] }, LOCAL_INVOKE_ARN);
const doc = buildOpenApi(definition, { title: 'koa-apigateway', version: '0.1.0', stageName: 'dev', region: 'eu-west-1' }) as Doc;

describe('the public OpenAPI 3.1 document, derived from the API definition', () => {
  it('carries none of API Gateway\'s extensions and none of its MOCK preflights', () => {
    expect(JSON.stringify(doc)).not.toContain('x-amazon-apigateway');
    expect(Object.values(doc.paths).flatMap((ops) => Object.keys(ops))).not.toContain('options');
    expect(Object.keys(definition.paths['/health']!)).toContain('options');
  });


  it('is valid OpenAPI 3.1 for an independent validator', async () => {
    expect(doc.openapi).toBe('3.1.0');
    const result = await validateOpenApi(doc);
    expect(result.errors).toBeUndefined();
    expect(result).toMatchObject({ valid: true, version: '3.1' });
  });

  it('the validator does reject a broken document (so the check above means something)', async () => {
    const broken = structuredClone(doc) as any;
    broken.paths['/health'].get.responses = { '200': { content: {} } }; // a response without its required description
    expect((await validateOpenApi(broken)).valid).toBe(false);
  });

  it('has one operation per deployed method, with its operationId', () => {
    const operations = Object.entries(doc.paths).flatMap(([p, ops]) => Object.entries(ops).map(([m, op]) => `${m.toUpperCase()} ${p} ${op.operationId}`));
    expect(operations.sort()).toEqual(spec.methods.map((m) => `${m.method} ${m.resourcePath} ${m.operationId}`).sort());
  });

  it('requires the x-api-key header scheme on every method but the public ones', () => {
    expect(doc.components.securitySchemes.apiKey).toEqual(expect.objectContaining({ type: 'apiKey', in: 'header', name: 'x-api-key' }));
    for (const m of spec.methods) {
      const op = doc.paths[m.resourcePath]![m.method.toLowerCase()];
      expect(op.security, `${m.method} ${m.resourcePath}`).toEqual(m.apiKeyRequired ? [{ apiKey: [] }] : []);
    }
    expect(doc.paths['/health']!.get.security).toEqual([]);
  });

  it('describes parameters and bodies from the route schemas', () => {
    const list = doc.paths['/parcels']!.get;
    expect(list.parameters.map((p: any) => `${p.in}:${p.name}`)).toEqual(expect.arrayContaining(['query:limit', 'query:q', 'query:status', 'query:express']));
    expect(list.parameters.find((p: any) => p.name === 'limit').schema).toMatchObject({ type: 'integer', minimum: 1, maximum: 50 });
    const get = doc.paths['/parcels/{id}']!.get;
    expect(get.parameters).toContainEqual(expect.objectContaining({ name: 'id', in: 'path', required: true }));
    const create = doc.paths['/parcels']!.post;
    expect(create.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/ParcelCreate' });
    expect(create.responses['201'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Parcel' });
    expect(doc.components.schemas.ParcelCreate).toMatchObject({ type: 'object', required: ['recipient'] });
    expect(doc.components.schemas.ParcelCreate).not.toHaveProperty('$schema');
    expect(doc.paths['/parcels/{id}']!.delete.responses['204']).not.toHaveProperty('content');
  });

  it('documents the gateway’s own errors: 403 where a key is required, 429/502/504 everywhere', () => {
    const create = doc.paths['/parcels']!.post;
    expect(create.responses['403']).toEqual({ $ref: '#/components/responses/Forbidden' });
    expect(create.responses['429']).toEqual({ $ref: '#/components/responses/TooManyRequests' });
    expect(doc.paths['/health']!.get.responses).not.toHaveProperty('403');
    expect(doc.paths['/health']!.get.responses['429']).toEqual({ $ref: '#/components/responses/TooManyRequests' });
    expect(doc.paths['/health']!.get.responses['502']).toBeDefined();
  });

  it('names the deployed invoke URL pattern, with the stage and region', () => {
    const deployed = doc.servers.at(-1)!;
    expect(deployed.url).toBe('https://{restApiId}.execute-api.{region}.amazonaws.com/{stage}');
    expect(deployed.variables?.stage?.default).toBe('dev');
    expect(deployed.variables?.region?.default).toBe('eu-west-1');
  });
});

describe('toOpenApiSchema', () => {
  it('turns draft-04 into JSON Schema 2020-12: boolean exclusive bounds, ids, model URLs', () => {
    expect(
      toOpenApiSchema({
        $schema: 'http://json-schema.org/draft-04/schema#',
        id: 'x',
        type: 'object',
        properties: {
          n: { type: 'number', minimum: 0, exclusiveMinimum: true },
          m: { type: 'number', maximum: 9, exclusiveMaximum: false },
          id: { type: 'string' },
          ref: { $ref: 'https://apigateway.amazonaws.com/restapis/abc/models/Todo' },
        },
      }),
    ).toEqual({
      type: 'object',
      properties: {
        n: { type: 'number', exclusiveMinimum: 0 },
        m: { type: 'number', maximum: 9 },
        id: { type: 'string' },
        ref: { $ref: '#/components/schemas/Todo' },
      },
    });
  });
});

describe('npm run openapi', () => {
  it('writes the document of the project it runs in to OUT and says it is valid', async () => {
    const { mkdtemp, readFile, rm } = await import('node:fs/promises');
    const os = await import('node:os');
    const path = await import('node:path');
    const dir = await mkdtemp(path.join(os.tmpdir(), 'openapi-'));
    const out = path.join(dir, 'openapi.json');
    try {
      const run = await runProcess(process.execPath, [CLI, 'openapi'], { cwd: PARCELS.dir, env: { ...process.env, OUT: out } });
      expect(run.status, run.stderr).toBe(0);
      const stdout = run.stdout;
      expect(stdout).toContain(`${spec.methods.length} operations, valid OpenAPI 3.1`);
      const written = JSON.parse(await readFile(out, 'utf8')) as Doc;
      expect(written.paths['/parcels']!.post.operationId).toBe('createParcel');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
