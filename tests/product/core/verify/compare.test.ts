import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildApi, UNDEPLOYED_USER_POOL_ARN } from '../../../../infra/src/core/build-api';
import parcels from '../../../support/apps/parcels/app.config';
import type { ApiDefinition } from '../../../../infra/src/core/definition';
import { compareDeployed, formatDifference, type DeployedApi } from '../../../../infra/src/core/verify';
import { awsResponsesFor, type ApiGatewayResponses } from '../../../support/aws-apigateway';

/**
 * The comparison behind `koa-apigateway verify`, on the parcels app's document (CORS on, a user
 * pool, every kind of route) and what API Gateway answers about it once deployed: the files of
 * tests/fixtures/apigateway-export/parcels/, shaped as AWS returns them (their README names the source of each
 * shape; docs/apigateway-behaviour.md §13). A faithful export passes; each planted difference is one line.
 */
const DIR = path.resolve(__dirname, '../../../fixtures/apigateway-export/parcels');
const read = <T>(file: string): T => JSON.parse(readFileSync(path.join(DIR, file), 'utf8')) as T;

/** The document the program built (`userPool: create`, so the undeployed pool's ARN, and no function yet). */
const DOCUMENT = read<ApiDefinition>('document.json');

/** The deployment the fixtures describe. */
const DEPLOYMENT = {
  restApiId: 'a1b2c3d4e5',
  region: 'us-east-1',
  stage: 'dev',
  invokeArn: 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:parcels-dev-function-7f3a2b1/invocations',
  userPoolArn: 'arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbCdEf123',
};

/** The wire answers, read afresh for each test (a test plants its difference in its own copy). */
function answers(): ApiGatewayResponses {
  return {
    export: read('export-oas30.json'),
    models: read('models.json'),
    requestValidators: read('request-validators.json'),
    gatewayResponses: read('gateway-responses.json'),
    authorizers: read('authorizers.json'),
    stage: read('stage.json'),
    restApi: read('restapi.json'),
  };
}

/** The answers as verify's reader hands them to the comparison (each list's `item`). */
function deployed(a: ApiGatewayResponses): DeployedApi {
  const { binaryMediaTypes, minimumCompressionSize } = a.restApi as { binaryMediaTypes?: string[]; minimumCompressionSize?: number };
  return {
    export: a.export,
    models: a.models.item,
    requestValidators: a.requestValidators.item,
    gatewayResponses: a.gatewayResponses.item,
    authorizers: a.authorizers.item,
    restApi: { ...(binaryMediaTypes ? { binaryMediaTypes } : {}), ...(minimumCompressionSize !== undefined ? { minimumCompressionSize } : {}) },
  };
}

/** The comparison's lines for `a`. */
function lines(a: ApiGatewayResponses, document: ApiDefinition = DOCUMENT): string[] {
  return compareDeployed(document, deployed(a)).map(formatDifference);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

describe('verify: a faithful deployment passes', () => {
  // The fixtures follow the program: a change to the document (a model keyword, a gateway response) shows here first.
  // UPDATE_FIXTURES=1 npx vitest run tests/product/core/verify/compare.test.ts rewrites them from the program.
  it('document.json is the document the program builds today for the parcels app (corsOrigins https://app.example.com, userPool create)', () => {
    const { definition } = buildApi(parcels, { stageName: 'dev', corsOrigins: ['https://app.example.com'], userPool: { mode: 'create' } });
    if (process.env.UPDATE_FIXTURES === '1') {
      writeFileSync(path.join(DIR, 'document.json'), `${JSON.stringify(definition, null, 2)}\n`);
      const fresh = awsResponsesFor(definition as ApiDefinition, DEPLOYMENT);
      const files: Record<keyof ApiGatewayResponses, string> = { export: 'export-oas30.json', models: 'models.json', requestValidators: 'request-validators.json', gatewayResponses: 'gateway-responses.json', authorizers: 'authorizers.json', stage: 'stage.json', restApi: 'restapi.json' };
      for (const [key, file] of Object.entries(files)) writeFileSync(path.join(DIR, file), `${JSON.stringify(fresh[key as keyof ApiGatewayResponses], null, 2)}\n`);
    }
    expect(JSON.parse(JSON.stringify(definition))).toEqual(read('document.json'));
  });

  it('the fixtures are what API Gateway answers about the document (tests/support/aws-apigateway.ts holds to them)', () => {
    expect(awsResponsesFor(DOCUMENT, DEPLOYMENT)).toEqual(answers());
  });

  it('no difference: every documented normalisation of the export and the lists is passed over', () => {
    const a = answers();
    // What makes the export another text than the document (each one checked as present, so the test means something):
    const ex = a.export as Json;
    expect(ex.servers[0].variables.basePath.default).toBe('dev');
    expect(ex['x-amazon-apigateway-api-key-source']).toBeUndefined();
    expect(ex.paths['/parcels'].get.summary).toBeUndefined();
    expect(ex.paths['/parcels'].get.parameters[0]).toEqual({ name: 'status', in: 'query', schema: { type: 'string' } });
    expect(ex.paths['/parcels'].get.responses['200'].description).toBe('200 response');
    expect(ex.paths['/me'].get.security).toEqual([{ cognito_user_pool: [] }, { api_key: [] }]);
    expect(ex.paths['/parcels'].get['x-amazon-apigateway-integration']).toMatchObject({ responses: { default: { statusCode: '200' } }, contentHandling: 'CONVERT_TO_TEXT', uri: DEPLOYMENT.invokeArn });
    expect(ex.paths['/parcels'].get['x-amazon-apigateway-integration'].timeoutInMillis).toBeUndefined();
    expect(ex['x-amazon-apigateway-gateway-responses'].BAD_REQUEST_BODY.statusCode).toBe(400);
    expect(a.models.item.map((m) => m.name)).toContain('Empty');
    expect(JSON.parse(a.models.item.find((m) => m.name === 'Caller')!.schema as string).required).toEqual(['scopes', 'sub', 'tokenUse']);
    expect(a.gatewayResponses.item.filter((r) => r.defaultResponse === true)).toHaveLength(17);
    expect(lines(a)).toEqual([]);
  });

  it('an export without the authorizer extensions is compared on the rest (GetAuthorizers holds the authorizer)', () => {
    const a = answers();
    const scheme = (a.export as Json).components.securitySchemes.cognito_user_pool;
    delete scheme['x-amazon-apigateway-authorizer'];
    delete scheme['x-amazon-apigateway-authtype'];
    expect(lines(a)).toEqual([]);
    scheme.name = 'X-Token';
    expect(lines(a)).toEqual(['export #/components/securitySchemes/cognito_user_pool/name: the document has "Authorization", the deployed API has "X-Token"']);
  });

  it('GetModels with the draft-04 $schema on each model, and a cross-model $ref in its URL form, is still faithful', () => {
    const a = answers();
    for (const model of a.models.item) model.schema = JSON.stringify({ $schema: 'http://json-schema.org/draft-04/schema#', ...JSON.parse(model.schema as string) });
    expect(lines(a)).toEqual([]);
    const withRef = structuredClone(DOCUMENT);
    withRef.components.schemas.ParcelList!.properties = { items: { type: 'array', items: { $ref: '#/components/schemas/Parcel' } } };
    const b = answers();
    (b.export as Json).components.schemas.ParcelList.properties = { items: { type: 'array', items: { $ref: '#/components/schemas/Parcel' } } };
    const list = b.models.item.find((m) => m.name === 'ParcelList')!;
    list.schema = JSON.stringify({ ...JSON.parse(list.schema as string), properties: { items: { type: 'array', items: { $ref: 'https://apigateway.amazonaws.com/restapis/a1b2c3d4e5/models/Parcel' } } } });
    expect(lines(b, withRef)).toEqual([]);
  });
});

describe('verify: each difference is one line naming its place', () => {
  it('a model keyword removed from the export (the planted difference of issue 22)', () => {
    const a = answers();
    delete (a.export as Json).components.schemas.ParcelPatch.additionalProperties;
    expect(lines(a)).toEqual(['export #/components/schemas/ParcelPatch/additionalProperties: in the document (false), not deployed']);
  });

  it('a model keyword changed in GetModels only (imported, not yet deployed)', () => {
    const a = answers();
    const patch = a.models.item.find((m) => m.name === 'ParcelPatch')!;
    const schema = JSON.parse(patch.schema as string);
    schema.properties.recipient.maxLength = 1000;
    patch.schema = JSON.stringify(schema);
    expect(lines(a)).toEqual(['models #/ParcelPatch/properties/recipient/maxLength: the document has 100, the deployed API has 1000']);
  });

  it('a model missing, and one deployed that the document does not have (not AWS’s Empty)', () => {
    const a = answers();
    delete (a.export as Json).components.schemas.Health;
    a.models.item.push({ id: 'mx', name: 'Legacy', contentType: 'application/json', schema: '{"type":"object"}' });
    expect(lines(a)).toEqual([
      'export #/components/schemas/Health: in the document ("the model"), not deployed: model Health is not deployed',
      'models #/Legacy: deployed ({"type":"object"}), not in the document: model Legacy is deployed but not in the document',
    ]);
  });

  it('a validator changed, in the API and in the export', () => {
    const a = answers();
    a.requestValidators.item[0]!.validateRequestBody = false;
    (a.export as Json)['x-amazon-apigateway-request-validators'].body.validateRequestParameters = true;
    expect(lines(a)).toEqual([
      'export #/x-amazon-apigateway-request-validators/body/validateRequestParameters: the document has false, the deployed API has true',
      'requestValidators #/body/validateRequestBody: the document has true, the deployed API has false',
    ]);
  });

  it("a method's validator dropped, and a validator for the whole API added", () => {
    const a = answers();
    delete (a.export as Json).paths['/parcels/{id}'].patch['x-amazon-apigateway-request-validator'];
    (a.export as Json)['x-amazon-apigateway-request-validator'] = 'body';
    expect(lines(a)).toEqual([
      'export #/paths/~1parcels~1{id}/patch/x-amazon-apigateway-request-validator: in the document ("body"), not deployed',
      'export #/x-amazon-apigateway-request-validator: deployed ("body"), not in the document: a validator for every method that names none',
    ]);
  });

  it('a gateway response template changed, and one customised outside the document', () => {
    const a = answers();
    const body = a.gatewayResponses.item.find((r) => r.responseType === 'BAD_REQUEST_BODY')!;
    body.responseTemplates = { 'application/json': '{"message":"Invalid request body"}' };
    const throttled = a.gatewayResponses.item.find((r) => r.responseType === 'THROTTLED')!;
    throttled.defaultResponse = false;
    expect(lines(a)).toEqual([
      'gatewayResponses #/BAD_REQUEST_BODY/responseTemplates/application~1json: the document has "{\\"message\\":$context.error.messageString,\\"detail\\":\\"$context.error.validationErrorString\\"}", the deployed API has "{\\"message\\":\\"Invalid request body\\"}"',
      'gatewayResponses #/THROTTLED: deployed ({"statusCode":"429","responseParameters":{},"responseTemplates":{"application/json":"{\\"message\\":$context.error.messageString}"}}), not in the document: gateway response THROTTLED is deployed but not in the document',
    ]);
  });

  it('a gateway response status changed in the export', () => {
    const a = answers();
    (a.export as Json)['x-amazon-apigateway-gateway-responses'].BAD_REQUEST_PARAMETERS.statusCode = 422;
    expect(lines(a)).toEqual(['export #/x-amazon-apigateway-gateway-responses/BAD_REQUEST_PARAMETERS/statusCode: the document has "400", the deployed API has "422"']);
  });

  it('the authorizer missing, or reading another header', () => {
    const a = answers();
    a.authorizers.item = [];
    expect(lines(a)).toEqual([
      'authorizers #/cognito_user_pool: in the document ({"type":"COGNITO_USER_POOLS","providerARNs":["arn:aws:cognito-idp:local:000000000000:userpool/local_NotDeployed"],"identitySource":"method.request.header.Autho…), not deployed: authorizer cognito_user_pool is not deployed',
    ]);
    const b = answers();
    b.authorizers.item[0]!.identitySource = 'method.request.header.X-Token';
    expect(lines(b)).toEqual(['authorizers #/cognito_user_pool/identitySource: the document has "method.request.header.Authorization", the deployed API has "method.request.header.X-Token"']);
  });

  it("a pool that is not a user pool ARN, and a configured pool's ARN, compared exactly", () => {
    const a = answers();
    a.authorizers.item[0]!.providerARNs = ['not-an-arn'];
    expect(lines(a)).toEqual([`authorizers #/cognito_user_pool/providerARNs/0: the document has "${UNDEPLOYED_USER_POOL_ARN}", the deployed API has "not-an-arn"`]);
    const existing = JSON.parse(JSON.stringify(DOCUMENT).replaceAll(UNDEPLOYED_USER_POOL_ARN, 'arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Other9')) as ApiDefinition;
    expect(lines(answers(), existing)).toEqual([
      'export #/components/securitySchemes/cognito_user_pool/authorizer/providerARNs/0: the document has "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Other9", the deployed API has "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbCdEf123"',
      'authorizers #/cognito_user_pool/providerARNs/0: the document has "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Other9", the deployed API has "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbCdEf123"',
    ]);
  });

  it('a route missing, and one deployed that the document does not have', () => {
    const a = answers();
    delete (a.export as Json).paths['/parcels/{id}'].delete;
    (a.export as Json).paths['/admin'] = { 'x-amazon-apigateway-any-method': { responses: { '200': { description: '200 response', content: {} } } } };
    expect(lines(a)).toEqual([
      'export #/paths/~1parcels~1{id}/delete: in the document ("the operation"), not deployed: route DELETE /parcels/{id} is not deployed',
      'export #/paths/~1admin/x-amazon-apigateway-any-method: deployed ("an operation"), not in the document: route ANY /admin is deployed but not in the document',
    ]);
  });

  it("a parameter no longer required, a request model gone, a response's model changed", () => {
    const a = answers();
    const search = (a.export as Json).paths['/parcels/{id}'].patch;
    delete search.requestBody;
    search.responses['200'].content['application/json'].schema.$ref = '#/components/schemas/ParcelList';
    const list = (a.export as Json).paths['/parcels'].get;
    list.parameters.push({ name: 'x-trace', in: 'header', required: true, schema: { type: 'string' } });
    expect(lines(a)).toEqual([
      'export #/paths/~1parcels/get/parameters/header:x-trace: deployed (true), not in the document',
      'export #/paths/~1parcels~1{id}/patch/requestBody/content/application~1json: in the document ("#/components/schemas/ParcelPatch"), not deployed',
      'export #/paths/~1parcels~1{id}/patch/responses/200/content/application~1json: the document has "#/components/schemas/Parcel", the deployed API has "#/components/schemas/ParcelList"',
    ]);
  });

  it('the API key no longer required, and a scope changed', () => {
    const a = answers();
    (a.export as Json).paths['/parcels'].post.security = [];
    (a.export as Json).paths['/courier/parcels'].get.security = [{ cognito_user_pool: ['parcels/write'] }];
    expect(lines(a)).toEqual([
      'export #/paths/~1courier~1parcels/get/security/cognito_user_pool/0: the document has "parcels/read", the deployed API has "parcels/write"',
      'export #/paths/~1parcels/post/security/api_key: in the document ([]), not deployed',
    ]);
  });

  it('a route invoking another function than the others, or no function at all', () => {
    const a = answers();
    const other = DEPLOYMENT.invokeArn.replace('function-7f3a2b1', 'function-old');
    (a.export as Json).paths['/parcels/{id}'].delete['x-amazon-apigateway-integration'].uri = other;
    (a.export as Json).paths['/health'].get['x-amazon-apigateway-integration'] = { type: 'http_proxy', httpMethod: 'GET', uri: 'https://example.com/health', passthroughBehavior: 'when_no_match' };
    expect(lines(a)).toEqual([
      'export #/paths/~1health/get/x-amazon-apigateway-integration/httpMethod: the document has "POST", the deployed API has "GET"',
      'export #/paths/~1health/get/x-amazon-apigateway-integration/type: the document has "aws_proxy", the deployed API has "http_proxy"',
      'export #/paths/~1health/get/x-amazon-apigateway-integration/uri: the document has "a Lambda function invoke URI", the deployed API has "https://example.com/health": the route does not invoke a Lambda function',
      `export #/paths/~1parcels~1{id}/delete/x-amazon-apigateway-integration/uri: the document has "${DEPLOYMENT.invokeArn}", the deployed API has "${other}": the route invokes another function than the other routes of its function group (default)`,
    ]);
  });

  it('the route met first invoking another function: that route is named, not every route that agrees with the rest', () => {
    const a = answers();
    const other = DEPLOYMENT.invokeArn.replace('function-7f3a2b1', 'function-evil');
    const paths = (a.export as Json).paths as Record<string, Record<string, Json>>;
    const [path, method] = Object.entries(paths).flatMap(([p, item]) => Object.keys(item).filter((m) => item[m]['x-amazon-apigateway-integration']?.type === 'aws_proxy').map((m) => [p, m] as const))[0]!;
    paths[path]![method]!['x-amazon-apigateway-integration'].uri = other;
    const found = lines(a);
    expect(found).toHaveLength(1);
    expect(found[0]).toContain(`the deployed API has "${other}": the route invokes another function than the other routes`);
  });

  it("a preflight's CORS origin changed (a mock integration's response)", () => {
    const a = answers();
    const preflight = (a.export as Json).paths['/health'].options['x-amazon-apigateway-integration'];
    preflight.responses.default.responseParameters['method.response.header.Access-Control-Allow-Methods'] = "'GET,POST,OPTIONS'";
    expect(lines(a)).toEqual([
      `export #/paths/~1health/options/x-amazon-apigateway-integration/responses/default/responseParameters/method.response.header.Access-Control-Allow-Methods: the document has "'GET,OPTIONS'", the deployed API has "'GET,POST,OPTIONS'"`,
    ]);
  });

  it('the API key read from an authorizer instead of the header', () => {
    const a = answers();
    (a.export as Json)['x-amazon-apigateway-api-key-source'] = 'AUTHORIZER';
    expect(lines(a)).toEqual(['export #/x-amazon-apigateway-api-key-source: the document has "HEADER", the deployed API has "AUTHORIZER"']);
  });

  it('a `required` list is a set; any other array keeps its order', () => {
    const a = answers();
    const status = (a.export as Json).components.schemas.ParcelPatch.properties.status;
    status.enum = [...status.enum].reverse();
    expect(lines(a)).toEqual([
      'export #/components/schemas/ParcelPatch/properties/status/enum/0: the document has "pending", the deployed API has "delivered"',
      'export #/components/schemas/ParcelPatch/properties/status/enum/2: the document has "delivered", the deployed API has "pending"',
    ]);
  });
});

describe('verify: function groups (issue 24), one function per group', () => {
  const GROUPS = { write: { routes: ['POST /parcels', 'PATCH /parcels/:id', 'DELETE /parcels/:id'] }, health: { routes: ['* /health'] } };
  const { definition } = buildApi({ ...parcels, functions: GROUPS }, { stageName: 'dev', corsOrigins: ['https://app.example.com'], userPool: { mode: 'create' } });
  const arnOf = (fn: string) => DEPLOYMENT.invokeArn.replace('parcels-dev-function-7f3a2b1', fn);
  const SPLIT = { ...DEPLOYMENT, invokeArns: { local: arnOf('parcels-fn-aaa'), 'local-write': arnOf('parcels-write-fn-bbb'), 'local-health': arnOf('parcels-health-fn-ccc') } };
  const uriAt = (a: ApiGatewayResponses, path: string, method: string): Json => (a.export as Json).paths[path][method]['x-amazon-apigateway-integration'];

  it('the document gives each group its placeholder: LOCAL_INVOKE_ARN for default, local-<group> for the others', () => {
    const uri = (path: string, method: string) => (definition.paths[path] as Json)[method]['x-amazon-apigateway-integration'].uri as string;
    expect(uri('/parcels', 'get')).toBe('arn:aws:apigateway:local:lambda:path/2015-03-31/functions/arn:aws:lambda:local:000000000000:function:local/invocations');
    expect(uri('/parcels', 'post')).toBe('arn:aws:apigateway:local:lambda:path/2015-03-31/functions/arn:aws:lambda:local:000000000000:function:local-write/invocations');
    expect(uri('/health', 'get')).toContain('function:local-health/invocations');
  });

  it('no difference when each group\'s routes invoke its own function', () => {
    expect(lines(awsResponsesFor(definition, SPLIT), definition)).toEqual([]);
  });

  it('one group\'s routes invoking two functions: the odd route is named, with its group', () => {
    const a = awsResponsesFor(definition, SPLIT);
    uriAt(a, '/parcels/{id}', 'delete').uri = arnOf('parcels-fn-aaa');
    expect(lines(a, definition)).toEqual([
      `export #/paths/~1parcels~1{id}/delete/x-amazon-apigateway-integration/uri: the document has "${arnOf('parcels-write-fn-bbb')}", the deployed API has "${arnOf('parcels-fn-aaa')}": the route invokes another function than the other routes of its function group (write)`,
    ]);
  });

  it('two groups\' routes sharing one function (the API deployed as one function): the second group\'s routes are named', () => {
    const lumped = awsResponsesFor(definition, DEPLOYMENT);
    expect(lines(lumped, definition).sort()).toEqual([
      `export #/paths/~1health/get/x-amazon-apigateway-integration/uri: the document has "a function of its own for the group health", the deployed API has "${DEPLOYMENT.invokeArn}": the route invokes the function of the group default: each function group has its own function`,
      ...['/parcels/{id}:delete', '/parcels/{id}:patch', '/parcels:post'].map((where) => {
        const [path, method] = where.split(':');
        return `export #/paths/${path!.replace(/\//g, '~1')}/${method}/x-amazon-apigateway-integration/uri: the document has "a function of its own for the group write", the deployed API has "${DEPLOYMENT.invokeArn}": the route invokes the function of the group default: each function group has its own function`;
      }),
    ].sort());
  });
});

describe('verify: the API’s binary media types and minimum compression size (GetRestApi)', () => {
  it('passes when the API has the document’s, the types in any order and case; names each difference otherwise', () => {
    const document = { ...structuredClone(DOCUMENT), 'x-amazon-apigateway-binary-media-types': ['application/pdf', 'image/png'], 'x-amazon-apigateway-minimum-compression-size': 1024 };
    const a = answers();
    a.restApi = { ...a.restApi, binaryMediaTypes: ['image/png', 'Application/PDF'], minimumCompressionSize: 1024 };
    expect(lines(a, document)).toEqual([]);
    a.restApi = { ...a.restApi, binaryMediaTypes: ['image/png'] };
    delete a.restApi.minimumCompressionSize;
    expect(lines(a, document)).toEqual([
      'restApi #/binaryMediaTypes: the document has ["application/pdf","image/png"], the deployed API has ["image/png"]: the media types API Gateway treats as binary (docs/binary.md)',
      'restApi #/minimumCompressionSize: in the document (1024), not deployed: payload compression (docs/compression.md)',
    ]);
  });

  it('names a compression size or binary type deployed that the document does not have', () => {
    const a = answers();
    a.restApi = { ...a.restApi, binaryMediaTypes: ['*/*'], minimumCompressionSize: 0 };
    expect(lines(a)).toEqual([
      'restApi #/binaryMediaTypes: deployed (["*/*"]), not in the document: the media types API Gateway treats as binary (docs/binary.md)',
      'restApi #/minimumCompressionSize: deployed (0), not in the document: payload compression (docs/compression.md)',
    ]);
  });
});

describe('verify: streamed routes (docs/streaming.md)', () => {
  const GROUPS = { live: { routes: ['GET /parcels'], stream: true } };
  const { definition } = buildApi({ ...parcels, functions: GROUPS }, { stageName: 'dev', corsOrigins: ['https://app.example.com'], userPool: { mode: 'create' } });
  const arnOf = (fn: string) => DEPLOYMENT.invokeArn.replace('parcels-dev-function-7f3a2b1', fn);
  const SPLIT = { ...DEPLOYMENT, invokeArns: { local: arnOf('parcels-fn-aaa'), 'local-live': arnOf('parcels-live-fn-bbb') } };
  const integrationAt = (a: ApiGatewayResponses): Json => (a.export as Json).paths['/parcels'].get['x-amazon-apigateway-integration'];

  it('no difference when the streamed route invokes its function’s response-streaming URI with STREAM (§15.2, §15.3)', () => {
    const a = awsResponsesFor(definition, SPLIT);
    expect(integrationAt(a).uri).toMatch(/2021-11-15\/functions\/.*parcels-live-fn-bbb\/response-streaming-invocations$/);
    expect(lines(a, definition)).toEqual([]);
  });

  it('a deployed route that buffers what the document streams: one line for the transfer mode', () => {
    const a = awsResponsesFor(definition, SPLIT);
    delete integrationAt(a).responseTransferMode;
    expect(lines(a, definition)).toEqual(['export #/paths/~1parcels/get/x-amazon-apigateway-integration/responseTransferMode: the document has "STREAM", the deployed API has "BUFFERED"']);
  });
});
