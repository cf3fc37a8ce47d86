import { describe, expect, it } from 'vitest';
import { buildApiDefinition, LOCAL_INVOKE_ARN } from '../../../../infra/src/core/definition';
import { buildOpenApi } from '../../../../infra/src/core/openapi/build';
import { validateOpenApi } from '../../../../infra/src/core/openapi/validate';
import { buildGatewaySpec } from '../../../../infra/src/core/plan';
import { createLibraryApp } from '../../../support/apps/library/app';

type Doc = { openapi: string; info: { title: string; version: string }; paths: Record<string, Record<string, any>>; components: { schemas: Record<string, any> } };

/** The public OpenAPI document of a second app, unrelated to the todo example (tests/support/apps/library): issue 12 item 3. */
describe('the OpenAPI 3.1 document of the library app', () => {
  const definition = buildApiDefinition(buildGatewaySpec(createLibraryApp()), { corsOrigins: [] }, LOCAL_INVOKE_ARN);
  const doc = buildOpenApi(definition, { title: 'library', version: '2.0.0', stageName: 'dev' }) as Doc;
  const parametersOf = (path: string, verb: string) => (doc.paths[path]![verb].parameters as any[]).map((p) => ({ in: p.in, name: p.name, required: p.required, type: p.schema.type }));

  it('is valid OpenAPI 3.1 for an independent validator, titled and versioned as asked', async () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info).toEqual({ title: 'library', version: '2.0.0' });
    const result = await validateOpenApi(doc);
    expect(result.errors).toBeUndefined();
    expect(result).toMatchObject({ valid: true, version: '3.1' });
  });

  it('carries the path, query and header parameters with their types and whether they are required', () => {
    expect(parametersOf('/branches/{branchId}/books/{isbn}', 'get')).toEqual([
      { in: 'path', name: 'branchId', required: true, type: 'string' },
      { in: 'path', name: 'isbn', required: true, type: 'string' },
    ]);
    expect(parametersOf('/branches/{branchId}/search', 'get')).toEqual([
      { in: 'path', name: 'branchId', required: true, type: 'string' },
      { in: 'query', name: 'q', required: true, type: 'string' },
      { in: 'query', name: 'limit', required: false, type: 'integer' },
      { in: 'query', name: 'available', required: false, type: 'boolean' },
    ]);
    expect(parametersOf('/branches/{branchId}/loans', 'post')).toEqual([
      { in: 'path', name: 'branchId', required: true, type: 'string' },
      { in: 'header', name: 'x-library-card', required: true, type: 'string' },
    ]);
    expect(parametersOf('/branches/{branchId}/hours', 'get')).toEqual([{ in: 'path', name: 'branchId', required: true, type: 'string' }]);
    expect(parametersOf('/v2/catalog/books/{isbn}', 'get')).toEqual([{ in: 'path', name: 'isbn', required: true, type: 'string' }]);
  });

  it('carries the body, the responses (a 204 without content), the gateway\'s 400 on validated operations, and the key on all but the public route', () => {
    const lend = doc.paths['/branches/{branchId}/loans']!.post;
    expect(lend.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/LoanCreate' });
    expect(lend.responses['201'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Loan' });
    expect(lend.responses['400']).toBeDefined();
    expect(doc.paths['/branches/{branchId}/loans/{loanId}']!.delete.responses['204']).not.toHaveProperty('content');
    expect(doc.components.schemas.LoanCreate).toMatchObject({ type: 'object', required: ['isbn'], properties: { days: { type: 'integer', default: 14 } } });
    expect(doc.paths['/status']!.get.security).toEqual([]);
    const keyed = Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).filter(([, o]) => o.security.length > 0).map(([verb]) => `${verb} ${path}`));
    expect(keyed).toHaveLength(6);
    expect(JSON.stringify(doc).toLowerCase()).not.toContain('todo');
  });
});
