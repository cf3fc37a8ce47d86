import { describe, expect, it } from 'vitest';
import type { ApiDefinition, Operation } from '../../../infra/src/core/definition/types';
import { buildApiDefinition, LOCAL_INVOKE_ARN } from '../../../infra/src/core/definition';
import { KOA_GATEWAY_TYPE } from '../../../infra/src/pulumi';
import { resolve } from '../../support/outputs';
import { buildGatewaySpec } from '../../../infra/src/core/plan';
import { createLibraryApp } from '../../support/apps/library/app';
import library from '../../support/apps/library/app.config';
import { LIBRARY_ROUTES } from '../../support/apps/library/expected';
import { runGateway } from '../../support/pulumi-harness';

const REST_API = 'aws:apigateway/restApi:RestApi';

/**
 * The component under Pulumi's mocks with a second app, unrelated to the todo example
 * (tests/support/apps/library): its spec goes in, and nothing generic is told about it (issue 12 item 3).
 */
describe('KoaGateway under mocks, with the library app', async () => {
  const { mocks, gateway, spec } = await runGateway({ name: 'library', title: library.title, version: library.version, spec: buildGatewaySpec(createLibraryApp()) });
  const api = mocks.ofType(REST_API);
  const body = JSON.parse(api[0]!.inputs.body as string) as ApiDefinition;
  const op = (path: string, verb: string): Operation => {
    const found = body.paths[path]?.[verb as 'get'];
    expect(found, `${verb} ${path}`).toBeDefined();
    return found!;
  };
  const parametersOf = (o: Operation) => (o.parameters ?? []).map((p) => `${p.in}:${p.name}:${p.required ? 'required' : 'optional'}`);

  it('imports one RestApi whose body carries every operation of the app, each a Lambda proxy to the one function', () => {
    expect(api).toHaveLength(1);
    const operations = Object.entries(body.paths).flatMap(([path, ops]) => Object.keys(ops).map((verb) => `${verb.toUpperCase()} ${path}`));
    expect(operations.sort()).toEqual(gateway.routes);
    const fn = mocks.ofType('aws:lambda/function:Function');
    expect(fn).toHaveLength(1);
    for (const [path, ops] of Object.entries(body.paths)) {
      for (const [verb, o] of Object.entries(ops)) {
        expect(o['x-amazon-apigateway-integration'], `${verb} ${path}`).toMatchObject({ type: 'aws_proxy', httpMethod: 'POST', uri: expect.stringContaining(`function:${fn[0]!.name}-1234567/invocations`) });
      }
    }
  });

  it('declares the path, query and header parameters, and the validator that checks them', () => {
    expect(parametersOf(op('/branches/{branchId}/books/{isbn}', 'get'))).toEqual(['path:branchId:required', 'path:isbn:required']);
    const search = op('/branches/{branchId}/search', 'get');
    expect(parametersOf(search)).toEqual(['path:branchId:required', 'query:q:required', 'query:limit:optional', 'query:available:optional']);
    expect(search.parameters!.find((p) => p.name === 'limit')!.schema).toMatchObject({ type: 'integer', default: 10 });
    expect(search['x-amazon-apigateway-request-validator']).toBe('params');
    const lend = op('/branches/{branchId}/loans', 'post');
    expect(parametersOf(lend)).toEqual(['path:branchId:required', 'header:x-library-card:required']);
    expect(lend['x-amazon-apigateway-request-validator']).toBe('body-and-params');
    expect(lend.requestBody).toEqual({ required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/LoanCreate' } } } });
    expect(op('/branches/{branchId}/loans/{loanId}', 'delete')['x-amazon-apigateway-request-validator']).toBe('params');
    expect(op('/branches/{branchId}/hours', 'get')['x-amazon-apigateway-request-validator']).toBeUndefined();
    expect(body['x-amazon-apigateway-request-validators']).toEqual({
      params: { validateRequestBody: false, validateRequestParameters: true },
      'body-and-params': { validateRequestBody: true, validateRequestParameters: true },
    });
    expect(Object.keys(body.components.schemas).sort()).toEqual(['Book', 'BookList', 'ErrorBody', 'ErrorResponse', 'LibraryStatus', 'Loan', 'LoanCreate']);
  });

  it("carries the descriptor's title and version, as the documents of npm start and npm run openapi do", () => {
    // index.ts passes the descriptor's title and version; cli.ts (npm start) and infra/src/cli/commands/openapi.ts build their documents so.
    const local = buildApiDefinition(spec, { corsOrigins: [], title: library.title, version: library.version }, LOCAL_INVOKE_ARN);
    expect(body.info).toEqual({ title: 'library-api', version: '2.0.0' });
    expect(body.info).toEqual(local.info);
  });

  it('requires the API key on every operation but the public status route', () => {
    for (const [path, ops] of Object.entries(body.paths)) {
      for (const [verb, o] of Object.entries(ops)) expect(o.security, `${verb} ${path}`).toEqual(path === '/status' ? undefined : [{ api_key: [] }]);
    }
  });

  it('names its resources and outputs after the component, and lists the app\'s routes', async () => {
    expect(gateway.routes).toEqual(LIBRARY_ROUTES);
    expect(await resolve(gateway.url)).toEqual({ value: 'https://library-api-id.execute-api.us-east-1.amazonaws.com/dev', secret: false });
    expect((await resolve(gateway.apiKey)).secret).toBe(true);
    expect((await resolve(gateway.functionName)).value).toBe('library-fn-1234567');
    for (const r of mocks.resources) if (r.type !== KOA_GATEWAY_TYPE) expect(r.parent, r.name).toBe('library');
    expect(JSON.stringify(mocks.resources.map((r) => r.inputs)).toLowerCase()).not.toContain('todo');
  });
});
