import Router from '@koa/router';
import Koa from 'koa';
import Type, { type TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { describe, expect, it } from 'vitest';
import { buildApiDefinition, LOCAL_INVOKE_ARN } from '../../../../infra/src/core/definition';
import { buildOpenApi } from '../../../../infra/src/core/openapi/build';
import { buildGatewaySpec } from '../../../../infra/src/core/plan';
import { RouteError } from '../../../../infra/src/errors';
import { ErrorResponse, FieldError } from '../../../../infra/src/route';
import { HttpError } from '../../../../infra/src/route/http-error';
import { addRoute } from '../../../../infra/src/route/route';
import { route } from '../../../../infra/src/route/route-middleware';

/**
 * A route that validates its input answers 400 (the gateway's validator, or the service's for what the
 * gateway does not check): its 400 is declared, with the error body's schema, unless it declares its own.
 * Without that, a correct app failed conformance with "status 400 is not declared".
 */
const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });
const Paging = Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1 })) });
const Note = Type.Object({ text: Type.String() }, { $id: 'Note' });
const Mine = Type.Object({ message: Type.String(), code: Type.Integer() }, { $id: 'MyError' });

function appWith(register: (router: Router) => void): Koa {
  const app = new Koa();
  const router = new Router();
  register(router);
  app.use(router.routes());
  return app;
}

const noop = () => undefined;

describe('the 400 of a route that validates its input', () => {
  const spec = buildGatewaySpec(
    appWith((r) => {
      addRoute(r, { method: 'GET', path: '/notes', operationId: 'listNotes', query: Paging, responses: { 200: Type.Array(Note) } }, noop);
      r.get('/notes/:id', route({ operationId: 'getNote', params: Id, responses: { 200: Note } }), noop);
      r.post('/notes', route({ operationId: 'createNote', body: Note, responses: { 201: Note, 400: Mine } }), noop);
      r.put('/notes/:id', route({ operationId: 'putNote', params: Id, body: Note, responses: { 204: null, 400: null } }), noop);
      r.get('/health', route({ operationId: 'health', responses: { 200: Type.Object({ ok: Type.Boolean() }) } }), noop);
      r.get('/plain', noop);
    }),
  );
  const responses = (operationId: string) => spec.methods.find((m) => m.operationId === operationId)!.responses;

  it('is declared with ErrorResponse for a route validating its query, path or body', () => {
    expect(responses('listNotes')).toEqual({ 200: expect.any(String), 400: 'ErrorResponse' });
    expect(responses('getNote')).toEqual({ 200: 'Note', 400: 'ErrorResponse' });
  });

  it("keeps the route's own 400, with or without a body", () => {
    expect(responses('createNote')).toEqual({ 201: 'Note', 400: 'MyError' });
    expect(responses('putNote')).toEqual({ 204: null, 400: null });
  });

  it('is not declared for a route that validates nothing', () => {
    expect(responses('health')).toEqual({ 200: expect.any(String) });
    expect(spec.methods.find((m) => m.koaPath === '/plain')!.responses).toEqual({});
  });

  it('is one model, ErrorResponse, the draft-04 form of the exported schema', () => {
    const model = spec.models.find((m) => m.name === 'ErrorResponse')!;
    expect(model.schema).toMatchObject({ type: 'object', required: ['message'], properties: { message: { type: 'string' }, errors: { type: 'array' } } });
  });

  it('reaches the public OpenAPI document as the 400 of those operations, with ErrorResponse as its schema', () => {
    const doc = buildOpenApi(buildApiDefinition(spec, { corsOrigins: [] }, LOCAL_INVOKE_ARN), { stageName: 'dev' }) as {
      paths: Record<string, Record<string, { responses: Record<string, { content?: { 'application/json': { schema: unknown } } }> }>>;
      components: { schemas: Record<string, unknown> };
    };
    expect(doc.paths['/notes']!.get!.responses['400']!.content!['application/json'].schema).toEqual({ $ref: '#/components/schemas/ErrorResponse' });
    expect(doc.paths['/notes/{id}']!.get!.responses['400']!.content!['application/json'].schema).toEqual({ $ref: '#/components/schemas/ErrorResponse' });
    expect(doc.paths['/notes']!.post!.responses['400']!.content!['application/json'].schema).toEqual({ $ref: '#/components/schemas/MyError' });
    expect(doc.components.schemas.ErrorResponse).toBeDefined();
  });

  it("is the app's own model when the app declares the identical schema (one model, not a clash)", () => {
    const same = Type.Object({ message: Type.String(), errors: Type.Optional(Type.Array(Type.Object({ path: Type.String(), message: Type.String(), in: Type.Optional(Type.Enum(['body', 'query', 'path', 'header'])) }))) }, { $id: 'ErrorResponse' });
    const twin = buildGatewaySpec(appWith((r) => r.get('/a/:id', route({ params: Id, responses: { 404: same } }), noop)));
    expect(twin.models.filter((m) => m.name === 'ErrorResponse')).toHaveLength(1);
  });

  it('refuses, naming the fix, an app schema of another shape named ErrorResponse', () => {
    const other = Type.Object({ error: Type.String() }, { $id: 'ErrorResponse' });
    for (const order of ['theirs first', 'ours first'] as const) {
      const app = appWith((r) => {
        if (order === 'theirs first') r.get('/a', route({ responses: { 404: other } }), noop);
        r.get('/b/:id', route({ params: Id }), noop);
        if (order === 'ours first') r.get('/c', route({ responses: { 404: other } }), noop);
      });
      let err: unknown;
      try {
        buildGatewaySpec(app);
      } catch (e) {
        err = e;
      }
      expect(err, order).toBeInstanceOf(RouteError);
      expect((err as Error).message, order).toMatch(/schema named "ErrorResponse".*the 400 of every route that validates its input.*Fix: give yours another \$id, or use ErrorResponse from koa-apigateway\/route/);
    }
  });
});

describe('ErrorResponse and FieldError, the error shape exported by koa-apigateway/route', () => {
  it('are the JSON TypeBox builds for them (so an identical app schema is the same model)', () => {
    const field = Type.Object({ path: Type.String(), message: Type.String(), in: Type.Optional(Type.Enum(['body', 'query', 'path', 'header'])) });
    expect(JSON.stringify(FieldError)).toBe(JSON.stringify(field));
    expect(JSON.stringify(ErrorResponse)).toBe(JSON.stringify(Type.Object({ message: Type.String(), errors: Type.Optional(Type.Array(field)) }, { $id: 'ErrorResponse' })));
  });

  it('describe every error body of the route kit and of the gateway, and no other shape', () => {
    const check = Compile(ErrorResponse as TSchema);
    const bodies = [
      new HttpError(400, 'Invalid request body', { errors: [{ path: '/title', message: 'must be string', in: 'body' }] }).toBody(),
      new HttpError(404, 'Not Found').toBody(),
      { message: 'Forbidden' },
      { message: 'Invalid request body' },
    ];
    for (const body of bodies) expect(check.Check(body), JSON.stringify(body)).toBe(true);
    expect(check.Check({ error: 'x' })).toBe(false);
    expect(check.Check({ message: 'x', errors: [{ path: '/a', message: 'm', in: 'cookie' }] })).toBe(false);
  });
});
