import { listOperations, type OpenApiDocument, type Operation } from './document';
import { generateCases, mediaTypeMatches, type Case, type Expectation, type KnownDifference } from './cases';
import { ERROR_SHAPE, schemaChecker, type SchemaChecker } from './schemas';
import { ConformanceError, UnreachableError } from '../../errors';
import type { Contract } from './contract';

/** Where the suite sends its requests. */
export interface Target {
  /** The stage's base URL, e.g. `https://abc123.execute-api.eu-west-1.amazonaws.com/dev` or `http://127.0.0.1:3000/dev`. */
  baseUrl: string;
  apiKey: string;
  /** True for the local gateway: known AWS differences do not excuse a failure there. */
  local: boolean;
}

export interface RunOptions {
  document: OpenApiDocument;
  target: Target;
  /** Origins allowed by the stack's CORS setting; empty: CORS off, preflights are not checked. */
  corsOrigins?: readonly string[];
  contracts?: Contract[];
  /** Most requests per second (default 10: a tenth of the default usage-plan rate). */
  rate?: number;
  /** Refuse to start above this many requests (default 200: 2% of the default 10,000/day quota). */
  maxRequests?: number;
  /** The usage plan's quota, for the announcement. */
  quota?: { limit: number; period: string };
  /** Where the announcement and progress go (default: nowhere). */
  announce?: (line: string) => void;
  /** The fetch to use (default: the global one). */
  fetch?: typeof fetch;
}

export type Outcome = 'pass' | 'fail' | 'known' | 'skip';

export interface CaseResult {
  id: string;
  group: Case['group'] | 'contract' | 'cleanup';
  operationId?: string;
  title: string;
  /** `METHOD /path`, or the contract step's requests. */
  request: string;
  expected: string;
  /** Statuses received, in order. */
  got: number[];
  outcome: Outcome;
  findings: string[];
  note?: string;
}

export interface Report {
  baseUrl: string;
  local: boolean;
  planned: number;
  sent: number;
  results: CaseResult[];
  counts: Record<Outcome, number>;
  /** Resources the suite created and could not delete (their URLs). */
  leftBehind: string[];
  /** What the suite does not test, and why. */
  notCovered: string[];
  /** One-line explanations when the failures share a plain cause (a wrong key, a URL without the stage). */
  diagnosis: string[];
}

/** What a run would send, computed before anything is sent (and before a local gateway is started). */
export interface Plan {
  cases: Case[];
  contracts: Array<{ contract: Contract; missing: string[] }>;
  /** The most requests the run sends: the reachability check, the cases, the contracts, the cleanup of created resources. */
  planned: number;
}

/**
 * Returns the plan of a run: the generated cases, the contracts (with the operationIds the document
 * lacks) and the most requests it would send. Throws ConformanceError when that is over `maxRequests`
 * (default 200), and the document's errors (DocumentError) when it cannot be read as operations.
 */
export function planConformance(options: Pick<RunOptions, 'document' | 'corsOrigins' | 'contracts' | 'maxRequests'>): Plan {
  const checker = schemaChecker(options.document);
  const operations = listOperations(options.document);
  const cases = generateCases(options.document, checker, { corsOrigins: options.corsOrigins ?? [] });
  const contracts = (options.contracts ?? []).map((c) => ({ contract: c, missing: c.operations.filter((id) => !operations.some((op) => op.operationId === id)) }));
  const creating = cases.filter((c) => c.group === 'valid' && c.request.method === 'POST').length;
  const planned = 1 + cases.filter((c) => !c.skip).length + contracts.reduce((n, c) => n + (c.missing.length ? 0 : c.contract.plannedRequests), 0) + creating;
  const maxRequests = options.maxRequests ?? 200;
  if (planned > maxRequests) throw new ConformanceError(`The suite would send ${planned} requests, more than --max-requests ${maxRequests}. Raise it only if the stage's quota allows.`);
  return { cases, contracts, planned };
}

/** Returns true for a URL on this machine (localhost, 127.0.0.0/8, ::1): the local gateway, not a deployed stage. */
export function isLoopback(url: string): boolean {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host.endsWith('.localhost') || /^127\.\d+\.\d+\.\d+$/.test(host) || host === '::1';
}

/**
 * Returns true when `location` (absolute) is on the base URL's origin and under its path: only such a
 * Location is followed by the cleanup, so the API key is never sent to another host or API.
 */
export function isUnderBase(location: URL, baseUrl: string): boolean {
  const base = new URL(baseUrl);
  const prefix = base.pathname.replace(/\/+$/, '');
  return location.origin === base.origin && (prefix === '' || location.pathname === prefix || location.pathname.startsWith(`${prefix}/`));
}

interface Exchange {
  method: string;
  url: string;
  status: number;
  headers: Headers;
  /** The body as UTF-8 text (for JSON and error bodies). */
  text: string;
  /** The body's bytes, as received (a binary answer's). */
  bytes: Uint8Array;
}

type Finding = { check: 'status' | 'source' | 'body' | 'shape' | 'cors'; message: string };

/**
 * Runs the conformance suite: the cases generated from `document`, then each contract, then deletes
 * whatever was created (every 201 with a `Location` the suite did not delete itself, through the
 * document's DELETE on that path). Sends requests one at a time, at most `rate` per second, after
 * announcing how many. Every response is checked against its operation's declared statuses and
 * schemas and the project's error shape; of an operation whose responses are undeclared, only what the
 * document declares (its valid request must reach the function and be answered below 500). A 201's
 * Location is deleted only when it is on the base URL's origin and under its path; any other is listed
 * in `leftBehind`, never requested. Throws
 * ConformanceError when over `maxRequests`, and UnreachableError when a first GET of the base URL (no
 * key, sent before the announcement) gets no HTTP answer.
 */
export async function runConformance(options: RunOptions): Promise<Report> {
  const { document, target } = options;
  const checker = schemaChecker(document);
  const operations = listOperations(document);
  const corsOrigins = options.corsOrigins ?? [];
  const { cases, contracts, planned } = planConformance(options);
  const rate = options.rate ?? 10;
  const announce = options.announce ?? (() => {});

  const keyHeader = operations.flatMap((op) => op.security.map((s) => s.apiKeyHeader)).find(Boolean) ?? 'x-api-key';
  const baseUrl = target.baseUrl.replace(/\/+$/, '');
  const realFetch = options.fetch ?? fetch;
  const created = new Set<string>();
  // 201 Locations on another origin or outside the base URL: never followed (the key would go there).
  const foreign = new Set<string>();
  let sent = 0;
  let last = 0;

  // One request first (counted in the plan): an unreachable URL is one clear line, not a FAIL row per case.
  sent++;
  try {
    await realFetch(`${baseUrl}/`, { method: 'GET', redirect: 'manual', signal: AbortSignal.timeout(10_000) }).then((r) => r.arrayBuffer());
  } catch (err) {
    throw new UnreachableError(`cannot connect to ${target.baseUrl}: ${unreachableReason(err)}`);
  }
  last = Date.now();
  const share = options.quota ? ` (${((planned / options.quota.limit) * 100).toFixed(1)}% of the usage plan's ${options.quota.limit} per ${options.quota.period})` : '';
  announce(`Conformance: at most ${planned} requests to ${target.baseUrl}, one at a time, at most ${rate}/s${share}. It deletes what it creates.`);

  async function send(method: string, url: string, init: RequestInit): Promise<Exchange> {
    const wait = last + 1000 / rate - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    last = Date.now();
    sent++;
    const response = await realFetch(url, { ...init, method, redirect: 'manual', signal: AbortSignal.timeout(35_000) });
    const bytes = new Uint8Array(await response.arrayBuffer());
    const exchange = { method, url, status: response.status, headers: response.headers, text: new TextDecoder().decode(bytes), bytes };
    const location = response.headers.get('location');
    if (response.status === 201 && location) {
      const resolved = new URL(location, `${baseUrl}/`);
      (isUnderBase(resolved, baseUrl) ? created : foreign).add(resolved.href);
    }
    if (method === 'DELETE' && response.status >= 200 && response.status < 300) created.delete(url.split('?')[0]!);
    return exchange;
  }

  const results: CaseResult[] = [];
  // Keyed requests and how they were answered, for the diagnosis; and requests that need no key
  // (a public route's valid request, the routing cases), which tell a wrong URL from a wrong key.
  const keyed: Array<{ status: number; message: unknown }> = [];
  const keyless: Array<{ status: number; message: unknown }> = [];
  for (const c of cases) {
    if (c.skip) {
      results.push({ ...resultOf(c, [], [], target.local), outcome: 'skip', note: c.skip });
      continue;
    }
    const headers = { ...c.request.headers, ...(c.withKey ? { [keyHeader]: target.apiKey } : {}) };
    const op = c.operationId ? operations.find((o) => o.operationId === c.operationId) : undefined;
    try {
      const exchange = await send(c.request.method, baseUrl + c.request.path, { headers, ...(c.request.body !== undefined ? { body: c.request.body } : {}) });
      if (c.withKey && c.operationId) keyed.push({ status: exchange.status, message: messageOf(exchange.text) });
      if (c.group === 'routing' || (c.group === 'valid' && !c.withKey)) keyless.push({ status: exchange.status, message: messageOf(exchange.text) });
      const findings = [...checkExpectation(c.expect, op, exchange), ...checkDeclared(op, exchange, checker, c.group !== 'cors')];
      results.push(resultOf(c, [exchange.status], findings, target.local));
    } catch (err) {
      results.push(resultOf(c, [], [{ check: 'status', message: `no response: ${(err as Error).message}` }], target.local));
    }
  }

  for (const { contract, missing } of contracts) {
    if (missing.length > 0) {
      results.push({ id: `${contract.name}`, group: 'contract', title: contract.name, request: '', expected: '', got: [], outcome: 'skip', findings: [], note: `The document has no ${missing.join(', ')}: not this API.` });
      continue;
    }
    let current: { statuses: number[]; findings: Finding[]; requests: string[] } | undefined;
    const ctxFetch = (async (input: string | URL | Request, init: RequestInit = {}) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      const method = (init.method ?? 'GET').toUpperCase();
      const exchange = await send(method, url, init);
      const op = matchOperation(operations, method, url, baseUrl);
      current?.statuses.push(exchange.status);
      current?.requests.push(`${method} ${url.slice(baseUrl.length)}`);
      current?.findings.push(...(op ? checkDeclared(op, exchange, checker, true) : [{ check: 'shape' as const, message: `${method} ${url} matches no operation of the document` }]));
      // The bytes as received: a contract reading a binary answer (response.blob()) gets them unchanged.
      return new Response(exchange.status === 204 || exchange.status === 304 ? null : exchange.bytes, { status: exchange.status, headers: exchange.headers });
    }) as typeof fetch;
    await contract.run({
      baseUrl,
      apiKey: target.apiKey,
      fetch: ctxFetch,
      step: async (title, fn) => {
        current = { statuses: [], findings: [], requests: [] };
        try {
          await fn();
        } catch (err) {
          current.findings.push({ check: 'body', message: (err as Error).message });
        }
        results.push({
          id: `${contract.name}: ${title}`,
          group: 'contract',
          title,
          request: current.requests.join(', '),
          expected: 'the contract',
          got: current.statuses,
          outcome: current.findings.length ? 'fail' : 'pass',
          findings: current.findings.map((f) => `${f.check}: ${f.message}`),
        });
        current = undefined;
      },
    });
  }

  const leftBehind: string[] = [];
  for (const url of [...created]) {
    const op = matchOperation(operations, 'DELETE', url, baseUrl);
    if (!op) {
      leftBehind.push(url);
      continue;
    }
    const exchange = await send('DELETE', url, { headers: { [keyHeader]: target.apiKey } }).catch(() => undefined);
    const ok = exchange && (exchange.status < 300 || exchange.status === 404);
    if (!ok) leftBehind.push(url);
    results.push({ id: `cleanup ${url}`, group: 'cleanup', operationId: op.operationId, title: 'delete what the suite created', request: `DELETE ${url.slice(baseUrl.length)}`, expected: '2xx', got: exchange ? [exchange.status] : [], outcome: ok ? 'pass' : 'fail', findings: ok ? [] : ['could not delete it: remove it by hand'] });
  }

  for (const url of foreign) {
    leftBehind.push(url);
    results.push({ id: `cleanup ${url}`, group: 'cleanup', title: 'not deleted: outside the base URL', request: `DELETE ${url}`, expected: 'a Location under the base URL', got: [], outcome: 'skip', findings: [], note: `A 201's Location pointed outside ${baseUrl}: the suite does not follow it (the API key would be sent there); delete it by hand if it is yours.` });
  }

  const counts: Record<Outcome, number> = { pass: 0, fail: 0, known: 0, skip: 0 };
  for (const r of results) counts[r.outcome]++;
  return {
    baseUrl,
    local: target.local,
    planned,
    sent,
    results,
    counts,
    leftBehind,
    diagnosis: diagnose(keyed, keyless),
    notCovered: [
      'Throttling (429 Too Many Requests) and the quota (429 Limit Exceeded): testing them would mean load or spending the quota.',
      ...(corsOrigins.length === 0 ? ['CORS preflights: corsOrigins is empty for this stack, so none are deployed.'] : []),
    ],
  };
}

/** Returns the operation a request URL matches (the document's path templates, relative to the base URL). */
export function matchOperation(operations: Operation[], method: string, url: string, baseUrl: string): Operation | undefined {
  const path = decodeURI(new URL(url).pathname).slice(new URL(baseUrl).pathname.replace(/\/+$/, '').length) || '/';
  return operations.find((op) => op.method === method && new RegExp(`^${op.path.replace(/[.*?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\+\}/g, '.+').replace(/\{[^}]+\}/g, '[^/]+')}$`).test(path));
}

/**
 * Returns plain-language causes when the failures share one. A path whose first segment is not a
 * deployed stage is `403 {"message":"Forbidden"}` on AWS and on the local gateway alike
 * (docs/apigateway-behaviour.md §1.7), the same answer as a wrong key: so when requests that need no
 * key (a public route, an unknown path) are Forbidden too, the URL lacks the stage, not the key.
 */
function diagnose(keyed: Array<{ status: number; message: unknown }>, keyless: Array<{ status: number; message: unknown }>): string[] {
  if (keyless.some((k) => k.status === 403 && k.message === 'Forbidden')) {
    return ['Requests that need no API key (a public route, an unknown path) were refused with 403 Forbidden too: the URL does not reach the stage. API Gateway (and the local gateway) answer 403 Forbidden when the first path segment is not a deployed stage: does --url end with the stage, e.g. .../dev?'];
  }
  if (keyed.length === 0) return [];
  if (keyed.every((k) => k.status === 403 && k.message === 'Forbidden')) {
    return ['Every request sent with the API key was refused with 403 Forbidden: the key is wrong, not in the usage plan of this stage, or too new (keys take a few seconds to propagate).'];
  }
  if (keyed.every((k) => k.status === 403 && k.message === 'Missing Authentication Token')) {
    return ['No request matched a route (403 Missing Authentication Token): does --url end with the stage, e.g. .../dev, and has pulumi up run since the routes were added?'];
  }
  return [];
}

/** Returns why fetch got no answer: the socket error's code and text (ECONNREFUSED, ENOTFOUND...), or the timeout. */
function unreachableReason(err: unknown): string {
  const e = err as Error & { cause?: Error & { code?: string; errors?: Array<Error & { code?: string }> } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return 'no answer within 10 s';
  const cause = e.cause?.errors?.[0] ?? e.cause;
  return cause?.message || cause?.code || e.message;
}

function messageOf(text: string): unknown {
  const body = parse(text);
  return body.ok ? (body.value as { message?: unknown } | null)?.message : undefined;
}

function parse(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

function checkExpectation(expect: Expectation, op: Operation | undefined, ex: Exchange): Finding[] {
  const findings: Finding[] = [];
  if (expect.status === 'success') {
    const declared = op && (op.responses[String(ex.status)] || op.responses.default);
    if (!declared || ex.status === 400 || ex.status === 403 || ex.status === 429 || ex.status >= 500) findings.push({ check: 'status', message: `expected a declared success or resource status, got ${ex.status}${summary(ex)}` });
  } else if (expect.status === 'reached') {
    // Any answer of the function's own but a failure: its responses are undeclared (the source is checked below).
    if (ex.status >= 500) findings.push({ check: 'status', message: `expected the function to answer below 500, got ${ex.status}${summary(ex)}` });
  } else if (ex.status !== expect.status) {
    findings.push({ check: 'status', message: `expected ${expect.status}, got ${ex.status}${summary(ex)}` });
  }
  const errorType = ex.headers.get('x-amzn-errortype');
  if (expect.source === 'gateway' && !errorType) findings.push({ check: 'source', message: 'expected API Gateway to answer (a gateway response with x-amzn-ErrorType), but the function did: is the route\'s validator or key requirement missing?' });
  if (expect.source === 'service' && errorType) findings.push({ check: 'source', message: `expected the function to answer, but API Gateway did (x-amzn-ErrorType ${errorType})` });
  if (expect.errorType && errorType && errorType !== expect.errorType) findings.push({ check: 'body', message: `x-amzn-ErrorType ${errorType}, expected ${expect.errorType}` });
  if (expect.message !== undefined || expect.namesField !== undefined) {
    const body = parse(ex.text);
    const value = body.ok ? (body.value as { message?: unknown; errors?: unknown }) : undefined;
    if (expect.message !== undefined && value?.message !== expect.message) findings.push({ check: 'body', message: `message ${JSON.stringify(value?.message)}, expected ${JSON.stringify(expect.message)}` });
    // Anywhere in the body, whatever its shape: a body that names the field in the wrong shape is a shape
    // finding (checkDeclared), not this one, so each finding says the one thing to fix.
    if (expect.namesField !== undefined && !namesField(ex.text, body, expect.namesField)) findings.push({ check: 'body', message: fieldNotNamed(expect.namesField, ex) });
  }
  if (expect.cors) {
    const allow = ex.headers.get('access-control-allow-origin');
    if (allow !== expect.cors.allowOrigin) findings.push({ check: 'cors', message: `Access-Control-Allow-Origin ${JSON.stringify(allow)}, expected ${JSON.stringify(expect.cors.allowOrigin)}` });
    const methods = (ex.headers.get('access-control-allow-methods') ?? '').split(',').map((m) => m.trim());
    if (expect.cors.allowMethod && !methods.includes(expect.cors.allowMethod) && !methods.includes('*')) findings.push({ check: 'cors', message: `Access-Control-Allow-Methods ${JSON.stringify(methods.join(','))} lacks ${expect.cors.allowMethod}` });
  }
  return findings;
}

/** True when the error body names `field` anywhere: in its text, or in any key or string of its JSON. */
function namesField(text: string, body: ReturnType<typeof parse>, field: string): boolean {
  if (text.includes(field)) return true;
  if (!body.ok) return false;
  const strings: string[] = [];
  const walk = (node: unknown): void => {
    if (typeof node === 'string') strings.push(node);
    else if (Array.isArray(node)) node.forEach(walk);
    else if (node !== null && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        strings.push(key);
        walk(value);
      }
    }
  };
  walk(body.value);
  return strings.some((s) => s.includes(field));
}

/** The finding of an error that names its field nowhere in its body, with what to do (the function's or the gateway's). */
function fieldNotNamed(field: string, ex: Exchange): string {
  const body = ex.text ? ex.text.slice(0, 200) : '(empty body)';
  if (ex.headers.get('x-amzn-errortype')) {
    return `API Gateway's error does not name the field "${field}" anywhere in its body: ${body}. Its gateway responses are the definition's: was the response template changed, or does a proxy rewrite it?`;
  }
  return (
    `the function's error does not name the field "${field}" anywhere in its body: ${body}. ` +
    'Fix: name the field in the message or in errors[].path; errorMiddleware() from koa-apigateway/route does so for every request that route() or addRoute() validation refuses.'
  );
}

/** The fix of an error body that is not the error shape: the function's (mount errorMiddleware) or the gateway's. */
function errorShapeFix(fromFunction: boolean): string {
  return fromFunction
    ? 'Fix: mount errorMiddleware() from koa-apigateway/route before the routes (it answers every error as ErrorResponse), or answer errors with ErrorResponse\'s shape: {"message": "...", "errors": [{"path", "message", "in"}]}.'
    : "API Gateway's own answers have this shape unless a gateway response template was changed or a proxy rewrites them.";
}

/** The name of a declared response schema: its `$ref`'s last segment (ErrorResponse, Parcel), else "its declared schema". */
function schemaName(schema: unknown): string {
  const ref = (schema as { $ref?: unknown } | undefined)?.$ref;
  return typeof ref === 'string' ? `the declared schema ${ref.split('/').at(-1)}` : 'its declared schema';
}

/**
 * Returns what breaks the document in a response: a status the operation does not declare, a body
 * not matching the declared schema, an error not in the project's `{"message", "errors"}` shape.
 * Responses to requests no operation matches (routing cases) must be gateway errors in that shape.
 * The function's own errors for an operation whose responses are undeclared (Operation `responsesUndeclared`)
 * need not have that shape: the document does not say they do. The gateway's answers for it still must.
 */
function checkDeclared(op: Operation | undefined, ex: Exchange, checker: SchemaChecker, errorShape: boolean): Finding[] {
  const findings: Finding[] = [];
  const body = ex.text === '' ? undefined : parse(ex.text);
  const fromFunction = !ex.headers.get('x-amzn-errortype');
  const errorExpected = errorShape && ex.status >= 400 && !(op?.responsesUndeclared && fromFunction);
  const declaredNotJson = op && ex.status < 400 && !(op.responses[String(ex.status)] ?? op.responses.default)?.schema;
  if (body && !body.ok && (ex.status >= 400 || (/json/i.test(ex.headers.get('content-type') ?? '') && !declaredNotJson))) {
    const type = ex.headers.get('content-type');
    return [{ check: 'shape', message: `body is not JSON${type ? ` (${type})` : ''}: ${ex.text.slice(0, 120)}${errorExpected ? `. ${errorShapeFix(fromFunction)}` : ''}` }];
  }
  const value = body?.ok ? body.value : undefined;
  const shapeProblems = errorExpected ? checker.check(ERROR_SHAPE, value) : [];
  if (op) {
    const declared = op.responses[String(ex.status)] ?? op.responses.default;
    const type = ex.headers.get('content-type') ?? '';
    if (!declared) findings.push({ check: 'shape', message: `status ${ex.status} is not declared for ${op.operationId} (declared: ${Object.keys(op.responses).join(', ')})` });
    else if (!declared.schema && (declared.binary || declared.text) && ex.status < 400) {
      // A binary or text answer is checked by its media type, not against a JSON schema (docs/binary.md).
      const allowed = [...(declared.binary ?? []), ...(declared.text ? [declared.text] : [])];
      if (!mediaTypeMatches(type, allowed)) findings.push({ check: 'shape', message: `${ex.status} Content-Type ${type ? JSON.stringify(type) : '(none)'} is none of the declared ${allowed.join(', ')}` });
    } else if (declared.schema) {
      if (body === undefined) findings.push({ check: 'shape', message: `empty body; ${op.operationId} declares a JSON body for ${ex.status}` });
      else {
        const problems = checker.check(declared.schema, value);
        // One finding, not two, when the declared schema is the error shape and the body misses it (below).
        if (problems.length > 0 && !(shapeProblems.length > 0 && schemaName(declared.schema).endsWith(' ErrorResponse'))) {
          findings.push({ check: 'shape', message: `${ex.status} body does not match ${schemaName(declared.schema)}: ${problems.join('; ')}` });
        }
      }
    } else if (body !== undefined && ex.status === 204) findings.push({ check: 'shape', message: '204 with a body' });
  }
  if (shapeProblems.length > 0) {
    findings.push({ check: 'shape', message: `error body is not {"message", "errors"?}: ${shapeProblems.join('; ')} (the ErrorResponse shape of koa-apigateway/route). ${errorShapeFix(fromFunction)}` });
  }
  return findings;
}

function summary(ex: Exchange): string {
  return ex.text ? ` (${ex.text.slice(0, 120)})` : '';
}

function resultOf(c: Case, got: number[], findings: Finding[], local: boolean): CaseResult {
  const known = c.knownDifference;
  const excused = (f: Finding) => !local && known !== undefined && (known.checks as string[]).includes(f.check);
  const outcome: Outcome = findings.length === 0 ? 'pass' : findings.every(excused) ? 'known' : 'fail';
  return {
    id: c.id,
    group: c.group,
    ...(c.operationId ? { operationId: c.operationId } : {}),
    title: c.title,
    request: `${c.request.method} ${c.request.path}`,
    expected: describeExpectation(c.expect),
    got,
    outcome,
    findings: findings.map((f) => `${f.check}: ${f.message}`),
    ...(noteOf(c, outcome, known) ? { note: noteOf(c, outcome, known) } : {}),
  };
}

function noteOf(c: Case, outcome: Outcome, known: KnownDifference | undefined): string | undefined {
  if (outcome === 'known' && known) return known.note;
  return c.note;
}

function describeExpectation(e: Expectation): string {
  if (e.status === 'reached') return 'the function, below 500 (responses undeclared)';
  const parts = [e.status === 'success' ? 'a declared status, not 400/403' : String(e.status)];
  if (e.source) parts.push(`from the ${e.source}`);
  if (e.message) parts.push(JSON.stringify(e.message));
  if (e.namesField) parts.push(`naming "${e.namesField}"`);
  return parts.join(' ');
}
