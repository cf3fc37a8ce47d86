import Router from '@koa/router';
import Koa from 'koa';
import Type from 'typebox';
import { describe, expect, it } from 'vitest';
import { addRoute } from '../../../../infra/src/route';
import { binaryMediaTypesOf, buildGatewaySpec } from '../../../../infra/src/core/plan';
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
});
