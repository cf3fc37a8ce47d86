import { describe, expect, it } from 'vitest';
import { generateCases } from '../../../../infra/src/tools/conformance/cases';
import type { OpenApiDocument } from '../../../../infra/src/tools/conformance/document';
import { buildApiDocument } from '../../../../infra/src/tools/conformance/document';
import { parseSettings } from '../../../../infra/src/settings/parse';
import { loadFixture, PARCELS } from '../../../support/apps';
import { schemaChecker } from '../../../../infra/src/tools/conformance/schemas';

const ok = { description: 'OK', content: { 'application/json': { schema: { type: 'object' } } } };

/** A small document with what the parcels app lacks: a required query and header, an open body, a bearer route. */
const doc: OpenApiDocument = {
  openapi: '3.1.0',
  paths: {
    '/search': {
      post: {
        operationId: 'search',
        security: [{ key: [] }],
        parameters: [
          { name: 'q', in: 'query', required: true, schema: { type: 'string', minLength: 1 } },
          { name: 'x-tenant', in: 'header', required: true, schema: { type: 'string' } },
        ],
        requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', required: ['size'], properties: { size: { type: 'integer', minimum: 1 } } } } } },
        responses: { '200': ok },
      },
    },
    '/me': { get: { operationId: 'me', security: [{ bearer: [] }], responses: { '200': ok } } },
  },
  components: { securitySchemes: { key: { type: 'apiKey', in: 'header', name: 'x-api-key' }, bearer: { type: 'http', scheme: 'bearer' } } },
};

describe('cases generated from a document', () => {
  const cases = generateCases(doc, schemaChecker(doc), { corsOrigins: [] });
  const byId = (id: string) => cases.find((c) => c.id === id);

  it('builds a valid request from the schemas: required parameters, a body that passes', () => {
    const valid = byId('search.valid')!;
    expect(valid.request.path).toMatch(/^\/search\?q=.+/);
    expect(valid.request.headers['x-tenant']).toEqual(expect.any(String));
    expect(JSON.parse(valid.request.body as string)).toMatchObject({ size: expect.any(Number) });
    expect(valid.withKey).toBe(true);
  });

  it('a missing required query or header parameter is the gateway’s 400 naming it', () => {
    for (const id of ['search.query.q.missing', 'search.header.x-tenant.missing']) {
      expect(byId(id)!.expect).toMatchObject({ status: 400, source: 'gateway', errorType: 'BadRequestException' });
      expect(byId(id)!.knownDifference?.note).toMatch(/apigateway-behaviour.md §2\.6/);
    }
    expect(byId('search.query.q.missing')!.request.path).not.toContain('q=');
    expect(byId('search.header.x-tenant.missing')!.request.headers['x-tenant']).toBeUndefined();
  });

  it('an unknown property is a near-miss only where the schema forbids it', () => {
    expect(byId('search.body.unknown-property')).toBeUndefined();
    expect(JSON.parse(byId('search.body.wrong-type')!.request.body as string)).toMatchObject({ size: 'conformance-wrong-type' });
    expect(JSON.parse(byId('search.body.missing-required')!.request.body as string)).not.toHaveProperty('size');
  });

  it('an operation that needs a bearer token is skipped, not guessed at', () => {
    expect(byId('me.valid')!.skip).toMatch(/bearer token/);
    expect(cases.filter((c) => c.operationId === 'me')).toHaveLength(1);
  });

  it("for an app's document (the parcels app's): valid, key, body, parameter and routing cases for every operation, preflights only with CORS", () => {
    const parcels = buildApiDocument(loadFixture(PARCELS), parseSettings({}));
    const without = generateCases(parcels, schemaChecker(parcels), { corsOrigins: [] });
    expect(without.filter((c) => c.group === 'cors')).toEqual([]);
    expect(without.filter((c) => c.group === 'valid').map((c) => c.operationId).sort()).toEqual(['createParcel', 'deleteParcel', 'getParcel', 'health', 'listParcels', 'updateParcel']);
    // health is public: no key cases for it.
    expect(without.some((c) => c.operationId === 'health' && c.group === 'auth')).toBe(false);
    const withCors = generateCases(parcels, schemaChecker(parcels), { corsOrigins: ['https://app.example'] });
    expect(withCors.filter((c) => c.group === 'cors').map((c) => c.id)).toEqual(['cors.preflight /health', 'cors.preflight /parcels', 'cors.preflight /parcels/{id}', 'cors.preflight.unlisted-origin']);
  });
});
