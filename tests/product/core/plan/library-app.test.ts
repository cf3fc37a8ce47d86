import { describe, expect, it } from 'vitest';
import { buildGatewaySpec } from '../../../../infra/src/core/plan';
import { createLibraryApp } from '../../../support/apps/library/app';
import { LIBRARY_ROUTES } from '../../../support/apps/library/expected';

/** The plan of a second app, unrelated to the todo example (tests/support/apps/library): nothing generic knows it (issue 12 item 3). */
describe('buildGatewaySpec of the library app', () => {
  const spec = buildGatewaySpec(createLibraryApp());
  const byId = new Map(spec.methods.map((m) => [`${m.method} ${m.resourcePath}`, m]));
  const get = (id: string) => {
    const method = byId.get(id);
    expect(method, id).toBeDefined();
    return method!;
  };

  it('discovers every method: helper routes, the plain router.get, and the nested router under both prefixes', () => {
    expect([...byId.keys()].sort()).toEqual(LIBRARY_ROUTES);
    expect(spec.resources.map((r) => r.path)).toEqual(expect.arrayContaining(['/branches', '/branches/{branchId}', '/branches/{branchId}/books/{isbn}', '/v2', '/v2/catalog', '/v2/catalog/books/{isbn}']));
  });

  it('requires both path parameters, the query parameter q (limit and available optional) and the card header', () => {
    expect(get('GET /branches/{branchId}/books/{isbn}').requestParameters).toEqual({ 'method.request.path.branchId': true, 'method.request.path.isbn': true });
    expect(get('GET /branches/{branchId}/search').requestParameters).toEqual({
      'method.request.path.branchId': true,
      'method.request.querystring.q': true,
      'method.request.querystring.limit': false,
      'method.request.querystring.available': false,
    });
    expect(get('POST /branches/{branchId}/loans').requestParameters).toEqual({ 'method.request.path.branchId': true, 'method.request.header.x-library-card': true });
    expect(get('DELETE /branches/{branchId}/loans/{loanId}').requestParameters).toMatchObject({ 'method.request.header.x-library-card': true, 'method.request.path.loanId': true });
  });

  it('picks the validator each method needs: params, body and params, or none where only path variables are required', () => {
    expect(get('GET /branches/{branchId}/search').validator).toBe('PARAMS');
    expect(get('POST /branches/{branchId}/loans').validator).toBe('BODY_AND_PARAMS');
    expect(get('DELETE /branches/{branchId}/loans/{loanId}').validator).toBe('PARAMS');
    expect(get('GET /branches/{branchId}/books/{isbn}').validator).toBeNull();
    expect(spec.validators.sort()).toEqual(['BODY_AND_PARAMS', 'PARAMS']);
  });

  it('makes the app\'s schemas its models, by $id, draft-04; the body model on the loan, a 204 without one', () => {
    expect(spec.models.map((m) => m.name)).toEqual(['Book', 'BookList', 'ErrorBody', 'ErrorResponse', 'LibraryStatus', 'Loan', 'LoanCreate']);
    const loanCreate = spec.models.find((m) => m.name === 'LoanCreate')!.schema;
    expect(loanCreate).toMatchObject({ type: 'object', required: ['isbn'], additionalProperties: false, properties: { isbn: { pattern: '^[0-9]{13}$' }, days: { type: 'integer', maximum: 28 } } });
    const lend = get('POST /branches/{branchId}/loans');
    expect(lend.requestModels).toEqual({ 'application/json': 'LoanCreate' });
    // A route validating its input has its 400 declared with the error body's schema unless it declares one (getBook does).
    expect(lend.responses).toEqual({ 201: 'Loan', 400: 'ErrorResponse', 404: 'ErrorBody', 409: 'ErrorBody' });
    expect(get('DELETE /branches/{branchId}/loans/{loanId}').responses).toEqual({ 204: null, 400: 'ErrorResponse', 404: 'ErrorBody' });
    expect(get('GET /branches/{branchId}/books/{isbn}').responses).toEqual({ 200: 'Book', 400: 'ErrorBody', 404: 'ErrorBody' });
  });

  it('requires the API key everywhere but the public status route', () => {
    expect(spec.methods.filter((m) => !m.apiKeyRequired).map((m) => m.operationId)).toEqual(['libraryStatus']);
    expect(spec.methods.every((m) => m.userPool === undefined)).toBe(true);
  });

  it('names the plain route\'s operation from its path, and keeps the nested route\'s declaration', () => {
    const hours = get('GET /branches/{branchId}/hours');
    expect(hours).toMatchObject({ operationId: 'getBranchesBranchIdHours', koaPath: '/branches/:branchId/hours', schemas: {}, requestModels: {}, responses: {} });
    expect(get('GET /v2/catalog/books/{isbn}')).toMatchObject({ operationId: 'getCatalogEntry', koaPath: '/v2/catalog/books/:isbn', responses: { 200: 'Book', 400: 'ErrorBody', 404: 'ErrorBody' } });
  });
});
