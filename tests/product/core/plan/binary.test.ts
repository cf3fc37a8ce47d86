import Router from '@koa/router';
import Koa from 'koa';
import Type from 'typebox';
import { describe, expect, it } from 'vitest';
import { addRoute } from '../../../../infra/src/route';
import { binaryMediaTypesOf, binaryMediaTypeWarnings, buildGatewaySpec } from '../../../../infra/src/core/plan';
import { parseSettings } from '../../../../infra/src/settings/parse';
import { buildApi } from '../../../../infra/src/core/build-api';
import { createMediaApp } from '../../../support/apps/media/app';

/** The plan of routes declaring binary bodies (docs/binary.md): what it keeps, what it refuses, the union with the stack's setting. */
describe('plan: binary media types, and text responses that are not JSON', () => {
  const spec = buildGatewaySpec(createMediaApp());

  it("keeps each route's binary declaration and collects the union of their types", () => {
    const byId = Object.fromEntries(spec.methods.map((m) => [m.operationId, m]));
    expect(byId.getLogo!.binary).toEqual({ responses: { '200': ['image/png'] } });
    expect(byId.getLogo!.responsesUndeclared).toBeUndefined();
    expect(byId.putBlob!.binary).toEqual({ requestBody: ['application/octet-stream', 'image/*'] });
    // A binary body has no model and no body validator: bytes are not JSON.
    expect([byId.putBlob!.requestModels, byId.putBlob!.validator]).toEqual([{}, null]);
    expect(spec.binaryMediaTypes).toEqual(['application/octet-stream', 'image/*', 'image/png']);
  });

  it('keeps a text response that is not JSON (a string schema with contentMediaType) by its media type, and the document shows it so', () => {
    const byId = Object.fromEntries(spec.methods.map((m) => [m.operationId, m]));
    expect(byId.getReport!.textResponses).toEqual({ '200': 'text/csv' });
    expect(byId.hello!.textResponses).toBeUndefined();
    const doc = buildApi({ title: 'media', version: '1', createApp: () => createMediaApp() }, { ...parseSettings({}), stageName: 'dev' }).openapi as { paths: Record<string, Record<string, { responses: Record<string, { content?: unknown }> }>> };
    expect(doc.paths['/report.csv']!.get!.responses['200']!.content).toEqual({ 'text/csv': { schema: { type: 'string', description: 'A CSV report.' } } });
    expect(doc.paths['/hello']!.get!.responses['200']!.content).toHaveProperty(['application/json']);
  });

  it("adds the stack's binaryMediaTypes setting, lower-cased and deduplicated", () => {
    const settings = parseSettings({ binaryMediaTypes: 'Application/PDF, image/png' });
    expect(settings.binaryMediaTypes).toEqual(['application/pdf', 'image/png']);
    expect(binaryMediaTypesOf(spec, settings.binaryMediaTypes)).toEqual(['application/octet-stream', 'application/pdf', 'image/*', 'image/png']);
    expect(parseSettings({}).binaryMediaTypes).toEqual([]);
  });

  it('refuses a setting that is not a media type, naming the key', () => {
    expect(() => parseSettings({ binaryMediaTypes: 'image/png; q=1' })).toThrow(/binaryMediaTypes/);
    expect(() => parseSettings({ binaryMediaTypes: 'png' })).toThrow(/"png" is not a media type/);
  });

  const appWith = (declare: (router: Router) => void) => () => {
    const app = new Koa();
    const router = new Router();
    declare(router);
    app.use(router.routes());
    return buildGatewaySpec(app);
  };

  it('refuses a media type API Gateway cannot take, naming the route and the fix', () => {
    const plan = appWith((r) => addRoute(r, { method: 'GET', path: '/x', binary: { responses: { 200: ['png'] } } }, () => {}));
    expect(plan).toThrow(/Route GET \/x: binary\.responses\[200\] names "png".*Fix: write type\/subtype/);
  });

  it('refuses a binary request body declared with a body schema, at declaration and at plan time', () => {
    expect(() => addRoute(new Router(), { method: 'POST', path: '/x', body: Type.Object({}), binary: { requestBody: ['application/octet-stream'] } }, () => {})).toThrow(/both a body schema and binary\.requestBody/);
  });

  it('refuses a misspelt key inside binary, naming the route, the key and the fix', () => {
    const plan = appWith((r) => addRoute(r, { method: 'POST', path: '/up', binary: { request: ['application/octet-stream'] } as never }, () => {}));
    expect(plan).toThrow(/Route POST \/up: binary has "request", which is not a key of it: binary takes requestBody .* and responses .*Fix: rename it.*`pulumi preview`\/`pulumi up` refuse the route until then/);
  });

  it('refuses an empty binary.requestBody, which declares nothing', () => {
    const plan = appWith((r) => addRoute(r, { method: 'PUT', path: '/up', binary: { requestBody: [] } }, () => {}));
    expect(plan).toThrow(/Route PUT \/up: binary\.requestBody is an empty list, which declares no media type\. Fix: list/);
  });

  it('refuses binary.requestBody on GET, HEAD, DELETE and OPTIONS routes, whose requests carry no body', () => {
    for (const method of ['GET', 'DELETE'] as const) {
      const plan = appWith((r) => addRoute(r, { method, path: '/up', binary: { requestBody: ['image/png'] } }, () => {}));
      expect(plan, method).toThrow(new RegExp(`Route ${method} /up: binary\\.requestBody on a ${method} route, whose requests carry no body.*Fix: declare the route as POST, PUT or PATCH, or remove binary\\.requestBody`));
    }
  });
});

describe('plan: binary media types that change the whole API', () => {
  const specOf = (binary: { requestBody?: string[]; responses?: Record<number, string[]> }) => {
    const app = new Koa();
    const router = new Router();
    addRoute(router, { method: 'POST', path: '/files', binary }, () => {});
    addRoute(router, { method: 'GET', path: '/ok', binary: { responses: { 200: ['image/png'] } } }, () => {});
    app.use(router.routes());
    return buildGatewaySpec(app);
  };

  it('warns for each type covering JSON a route declares (*/*, application/*, application/json, +json, text/*), naming the route', () => {
    for (const type of ['*/*', 'application/*', 'application/json', 'application/vnd.api+json', 'text/*']) {
      const warnings = binaryMediaTypeWarnings(specOf({ requestBody: [type] }).methods, []);
      expect(warnings, type).toEqual([expect.stringMatching(new RegExp(`^Route POST /files declares "${type.replace(/[*+.]/g, '\\$&')}" as a binary media type\\. API Gateway applies binary media types to the whole API.*Fix: declare the binary types the route really carries`))]);
    }
  });

  it('warns for the setting too, and says nothing of image/png or application/octet-stream', () => {
    expect(binaryMediaTypeWarnings(specOf({ requestBody: ['application/octet-stream'] }).methods, ['application/pdf'])).toEqual([]);
    expect(binaryMediaTypeWarnings([], ['*/*'], 'media:binaryMediaTypes')).toEqual([expect.stringMatching(/^Config "media:binaryMediaTypes" names "\*\/\*"\. API Gateway applies .*Fix: pulumi config set binaryMediaTypes/)]);
  });
});
