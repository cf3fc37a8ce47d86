// API Gateway REST (payload 1.0) proxy events for the benchmark runners. Plain JavaScript so the runners
// start as bare `node` processes: no TypeScript loader is measured with the stack under test.

const HEADERS = {
  Accept: 'application/json',
  'Accept-Encoding': 'gzip, deflate, br',
  'CloudFront-Forwarded-Proto': 'https',
  'CloudFront-Is-Desktop-Viewer': 'true',
  'CloudFront-Viewer-Country': 'US',
  Host: 'abc123.execute-api.us-east-1.amazonaws.com',
  'User-Agent': 'bench/1.0',
  Via: '2.0 a3650115c5e21e2b5d133ce84464bea3.cloudfront.net (CloudFront)',
  'X-Amz-Cf-Id': 'ACiHGi7nplNFlWjOjKwJkAo5UEbcGPOFlUMyRpqvAsBAnPqRoE6NTQ==',
  'X-Amzn-Trace-Id': 'Root=1-5e66d96f-7491f09xmpl79d18acf3d050',
  'X-Api-Key': 'bench-key-0123456789abcdef',
  'X-Forwarded-For': '52.255.255.12',
  'X-Forwarded-Port': '443',
  'X-Forwarded-Proto': 'https',
};

/**
 * Returns a REST proxy event for `method path` with an optional JSON body, shaped as API Gateway sends
 * it (null maps when absent, multi-value twins of headers and query, a requestContext with the stage).
 * @param {string} method
 * @param {string} pathWithQuery
 * @param {unknown} [body]
 */
export function restEvent(method, pathWithQuery, body) {
  const [path, rawQuery] = pathWithQuery.split('?', 2);
  const multiQuery = {};
  for (const [key, value] of new URLSearchParams(rawQuery ?? '')) (multiQuery[key] ??= []).push(value);
  const query = Object.fromEntries(Object.entries(multiQuery).map(([k, v]) => [k, v[v.length - 1]]));
  const headers = body === undefined ? { ...HEADERS } : { ...HEADERS, 'Content-Type': 'application/json' };
  return {
    resource: path,
    path,
    httpMethod: method,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    queryStringParameters: Object.keys(query).length ? query : null,
    multiValueQueryStringParameters: Object.keys(multiQuery).length ? multiQuery : null,
    pathParameters: null,
    stageVariables: null,
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123',
      domainName: 'abc123.execute-api.us-east-1.amazonaws.com',
      httpMethod: method,
      identity: { apiKey: HEADERS['X-Api-Key'], sourceIp: '52.255.255.12', userAgent: 'bench/1.0' },
      path: `/dev${path}`,
      protocol: 'HTTP/1.1',
      requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
      requestTimeEpoch: 1700000000000,
      resourcePath: path,
      stage: 'dev',
    },
    body: body === undefined ? null : typeof body === 'string' ? body : JSON.stringify(body),
    isBase64Encoded: false,
  };
}

export const lambdaContext = {
  awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
  functionName: 'bench',
  getRemainingTimeInMillis: () => 29_000,
};

/**
 * The warm scenarios: each makes a fresh event per invocation and names the status every stack must answer.
 * `GET by id` reads a todo created during set-up (its id is passed in).
 */
export const SCENARIOS = [
  { name: 'GET /health', status: 200, event: () => restEvent('GET', '/health') },
  { name: 'POST create (valid)', status: 201, event: () => restEvent('POST', '/api/v1/todos', { title: 'Buy milk', description: 'Two litres', priority: 'high' }) },
  { name: 'POST create (invalid)', status: 400, event: () => restEvent('POST', '/api/v1/todos', { title: '', priority: 'urgent', extra: 1 }) },
  { name: 'GET by id', status: 200, event: (id) => restEvent('GET', `/api/v1/todos/${id}`) },
];
