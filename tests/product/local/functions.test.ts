import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiDefinition } from '../../../infra/src/core/definition/types';
import { createGateway, functionOfInvokeArn, type LocalFunction } from '../../../infra/src/local';
import { invokedFunctions, localFunctionsOf } from '../../../infra/src/local/start';
import { API_KEY, definitionOf, method, settingsOf, specOf, startGateway, type Started } from './support/gateway';

// Functions per route group, locally (issue 24): each function of the definition runs in a Node.js process of its
// own, so a crash or a hang in one shows as 502/504 on its routes only, as on AWS (infra/src/local/function-process.ts).

const key = { 'x-api-key': API_KEY };
const invokeArn = (fn: string) => `arn:aws:apigateway:local:lambda:path/2015-03-31/functions/arn:aws:lambda:local:000000000000:function:${fn}/invocations`;

/**
 * A tiny bundle: answers its function's name, its process id, the environment it sees and its remaining time;
 * `?crash=exit|throw|kill` ends its process mid-invocation, `?hang=1` never answers, `?big=N` answers a body of N
 * bytes full of what JSON escapes.
 */
const HANDLER = `
globalThis.loads = (globalThis.loads ?? 0) + 1;
export const handler = async (event, context) => {
  const q = event.queryStringParameters ?? {};
  if (q.crash === 'exit') process.exit(1);
  if (q.crash === 'throw') { setTimeout(() => { throw new Error('thrown outside the handler'); }); await new Promise(() => {}); }
  if (q.crash === 'kill') process.kill(process.pid, 'SIGKILL');
  if (q.hang) await new Promise(() => {});
  if (q.shape === 'date') return { statusCode: 200, headers: { 'x-date': new Date(0), 'x-undefined': undefined }, body: 'dated' };
  if (q.shape === 'tojson') return { statusCode: 200, body: 'not this', toJSON: () => ({ statusCode: 201, body: 'what JSON.stringify writes' }) };
  if (q.shape === 'cycle') { const r = { statusCode: 200, body: 'x' }; r.self = r; return r; }
  if (q.big) {
    const unit = 'a"b\\\\c\\u2028é😀\\n<\\u0000>';
    return { statusCode: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: unit.repeat(Math.ceil(Number(q.big) / unit.length)).slice(0, Number(q.big)) };
  }
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json', dropped: undefined },
    body: JSON.stringify({
      pid: process.pid,
      loads: globalThis.loads,
      name: process.env.AWS_LAMBDA_FUNCTION_NAME,
      memory: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
      contextName: context.functionName,
      remaining: context.getRemainingTimeInMillis(),
      onlyA: process.env.ONLY_A ?? null,
      onlyB: process.env.ONLY_B ?? null,
      shared: process.env.FUNCTIONS_TEST_SHARED ?? null,
    }),
  };
};
`;

const spec = specOf([method('GET', '/a'), method('GET', '/b'), method('GET', '/c')]);

/** The definition of `spec` with `/a` on function local-a, `/b` on local-b and `/c` on the default function (`local`). */
function definitionWithTwoFunctions(): ApiDefinition {
  const definition = definitionOf(spec, settingsOf());
  const uri = (p: string, fn: string) => ((definition.paths[p]!.get!['x-amazon-apigateway-integration'] as { uri: string }).uri = invokeArn(fn));
  uri('/a', 'local-a');
  uri('/b', 'local-b');
  return definition;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** True once process `pid` has gone (within 2 s). */
const gone = async (pid: number) => {
  for (let i = 0; i < 40 && alive(pid); i++) await new Promise((r) => setTimeout(r, 50));
  return !alive(pid);
};

interface Answer {
  pid: number;
  loads: number;
  name: string;
  memory: string;
  contextName: string;
  remaining: number;
  onlyA: string | null;
  onlyB: string | null;
  shared: string | null;
}

let dir: string;
const functionsIn = (timeoutSeconds: number): Record<string, LocalFunction> => ({
  'local-a': { group: 'a', bundleFile: path.join(dir, 'a.mjs'), environment: { ONLY_A: 'a-secret' }, memorySize: 256, timeoutSeconds },
  'local-b': { group: 'b', bundleFile: path.join(dir, 'b.mjs'), environment: { ONLY_B: 'b-secret' }, memorySize: 512, timeoutSeconds },
});

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'functions-'));
  await writeFile(path.join(dir, 'a.mjs'), HANDLER);
  await writeFile(path.join(dir, 'b.mjs'), HANDLER);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('each function of the definition in a process of its own', () => {
  let gw: Started;
  const get = async (p: string) => {
    const res = await fetch(`${gw.url}${p}`, { headers: key });
    return { status: res.status, text: await res.text() };
  };
  const answer = async (p: string): Promise<Answer> => {
    const res = await get(p);
    expect(res.status, res.text).toBe(200);
    return JSON.parse(res.text) as Answer;
  };

  beforeAll(async () => {
    process.env.FUNCTIONS_TEST_SHARED = 'from the gateway';
    gw = await startGateway({ spec, definition: definitionWithTwoFunctions(), functions: functionsIn(1), handler: async () => ({ statusCode: 200, body: `in-process ${process.pid}` }) });
    delete process.env.FUNCTIONS_TEST_SHARED;
  });
  afterAll(() => gw.close());

  it('finds a method’s function from its integration uri; each sees its own variables and Lambda’s, not the other’s', async () => {
    const [a, b] = await Promise.all([answer('/a'), answer('/b')]);
    expect(a).toMatchObject({ name: 'local-a', contextName: 'local-a', memory: '256', onlyA: 'a-secret', onlyB: null, shared: 'from the gateway' });
    expect(b).toMatchObject({ name: 'local-b', contextName: 'local-b', memory: '512', onlyA: null, onlyB: 'b-secret', shared: 'from the gateway' });
    expect(a.pid).not.toBe(b.pid);
    expect(a.pid).not.toBe(process.pid);
    // The context's clock is the invocation's: under the 1 s timeout, not the gateway's 29 s.
    expect(a.remaining).toBeGreaterThan(0);
    expect(a.remaining).toBeLessThanOrEqual(1000);
    // The gateway's environment is not the function's.
    expect(process.env.ONLY_A).toBeUndefined();
    // A method whose function is not among `functions` runs the handler, in this process.
    expect(await get('/c')).toEqual({ status: 200, text: `in-process ${process.pid}` });
    // Warm: the same process, the bundle imported once.
    expect(await answer('/a')).toMatchObject({ pid: a.pid, loads: 1 });
  });

  for (const [crash, logged] of [
    ['exit', 'Runtime exited with error: exit status 1'],
    ['throw', 'Runtime exited with error: exit status 1'],
    ['kill', 'Runtime exited with error: signal: killed'],
  ] as const) {
    it(`a crash (${crash}) is a 502 on its function’s routes only, logged as Lambda logs it; the next request starts a new process`, async () => {
      const [a, b] = await Promise.all([answer('/a'), answer('/b')]);
      const crashed = await get(`/a?crash=${crash}`);
      expect(crashed.status).toBe(502);
      expect(JSON.parse(crashed.text)).toEqual({ message: 'Internal server error' });
      expect(gw.errors.join('\n')).toContain(`Error: ${logged} Runtime.ExitError`);
      expect(await gone(a.pid)).toBe(true);
      // The other function kept its process and answers.
      expect(await answer('/b')).toMatchObject({ pid: b.pid, name: 'local-b' });
      // A new process, a cold start: the bundle imported afresh.
      const again = await answer('/a');
      expect(again.pid).not.toBe(a.pid);
      expect(again).toMatchObject({ name: 'local-a', loads: 1 });
    });
  }

  it('a hang past the function’s timeout is a 502 "Task timed out" and its process is replaced; the other function answers meanwhile', async () => {
    const [a, b] = await Promise.all([answer('/a'), answer('/b')]);
    const started = Date.now();
    const hung = get('/a?hang=1');
    // While /a hangs, /b answers at once from its own process.
    expect(await answer('/b')).toMatchObject({ pid: b.pid });
    expect(Date.now() - started).toBeLessThan(900);
    expect((await hung).status).toBe(502);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(gw.errors.join('\n')).toContain('Task timed out after 1.00 seconds');
    expect(await gone(a.pid)).toBe(true);
    const again = await answer('/a');
    expect(again.pid).not.toBe(a.pid);
    expect(await answer('/b')).toMatchObject({ pid: b.pid });
  });

  it('carries any JSON-able result exactly: a body of 5 MB as JSON, full of what JSON escapes', async () => {
    // 12 UTF-16 units, 26 bytes as JSON: the result stays under Lambda's 6 MB (docs/apigateway-behaviour.md §6.10).
    const size = 12 * 200_000;
    // A gateway of its own with a 15 s function timeout: building and carrying 5 MB can pass this suite's 1 s on a loaded machine.
    const roomy = await startGateway({ spec, definition: definitionWithTwoFunctions(), functions: functionsIn(15), handler: async () => ({ statusCode: 200 }) });
    let res: { status: number; text: string };
    try {
      const reply = await fetch(`${roomy.url}/a?big=${size}`, { headers: key });
      res = { status: reply.status, text: await reply.text() };
    } finally {
      await roomy.close();
    }
    expect(res.status).toBe(200);
    const unit = 'a"b\\c\u2028é😀\n<\u0000>';
    expect(res.text).toBe(unit.repeat(Math.ceil(size / unit.length)).slice(0, size));
  });

  it('reads the result as Lambda’s runtime sends it, JSON.stringify’s: a Date as its ISO text, undefined dropped, toJSON honoured; a cycle is a function error', async () => {
    const dated = await fetch(`${gw.url}/a?shape=date`, { headers: key });
    expect(dated.status).toBe(200);
    expect(dated.headers.get('x-date')).toBe('1970-01-01T00:00:00.000Z');
    expect(dated.headers.has('x-undefined')).toBe(false);
    expect(await get('/a?shape=tojson')).toEqual({ status: 201, text: 'what JSON.stringify writes' });
    expect((await get('/a?shape=cycle')).status).toBe(502);
    expect(gw.errors.join('\n')).toContain("The function's result is not serialisable as JSON");
  });

  it('reload() replaces every function’s process: a fresh module instance', async () => {
    const [a, b] = await Promise.all([answer('/a'), answer('/b')]);
    gw.reload();
    const [a2, b2] = await Promise.all([answer('/a'), answer('/b')]);
    expect(a2.pid).not.toBe(a.pid);
    expect(b2.pid).not.toBe(b.pid);
    expect(await gone(a.pid)).toBe(true);
    expect(await gone(b.pid)).toBe(true);
  });
});

describe('the gateway and the functions’ processes', () => {
  it('close() leaves no function process behind, a hung one included', async () => {
    const gw = await startGateway({ spec, definition: definitionWithTwoFunctions(), functions: functionsIn(5), handler: async () => ({ statusCode: 200 }) });
    const a = JSON.parse(await (await fetch(`${gw.url}/a`, { headers: key })).text()) as Answer;
    const b = JSON.parse(await (await fetch(`${gw.url}/b`, { headers: key })).text()) as Answer;
    const hung = fetch(`${gw.url}/b?hang=1`, { headers: key }).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 100));
    expect(alive(a.pid) && alive(b.pid)).toBe(true);
    await gw.close();
    expect(alive(a.pid)).toBe(false);
    expect(alive(b.pid)).toBe(false);
    await hung;
  });

  it('the 29 s integration timeout first: a 504, and the function runs on until its own timeout, which replaces it', async () => {
    const gw = await startGateway({ spec, definition: definitionWithTwoFunctions(), functions: functionsIn(1), integrationTimeoutMs: 300, handler: async () => ({ statusCode: 200 }) });
    try {
      // The cold start counts against the integration timeout, as on AWS: the first requests may get 504s.
      let warm: Response | undefined;
      for (let i = 0; i < 40 && warm?.status !== 200; i++) warm = await fetch(`${gw.url}/a`, { headers: key });
      const a = JSON.parse(await warm!.text()) as Answer;
      const res = await fetch(`${gw.url}/a?hang=1`, { headers: key });
      expect(res.status).toBe(504);
      expect(await res.text()).toBe('{"message": "Endpoint request timed out"}');
      expect(alive(a.pid)).toBe(true);
      await new Promise((r) => setTimeout(r, 1000));
      expect(gw.errors.join('\n')).toMatch(/\[local-a\] \S+ Task timed out after 1\.00 seconds/);
      expect(await gone(a.pid)).toBe(true);
    } finally {
      await gw.close();
    }
  });

  it('a bundle that fails to load is a 502 with its error logged, and is loaded again in a new process on the next request (as Lambda retries Init)', async () => {
    const marker = path.join(dir, 'init-ok');
    await writeFile(path.join(dir, 'flaky.mjs'), `import { existsSync } from 'node:fs';\nif (!existsSync(${JSON.stringify(marker)})) throw new Error('init failed: no marker');\n${HANDLER}`);
    const functions = functionsIn(1);
    const gw = await startGateway({ spec, definition: definitionWithTwoFunctions(), functions: { ...functions, 'local-a': { ...functions['local-a']!, bundleFile: path.join(dir, 'flaky.mjs') } }, handler: async () => ({ statusCode: 200 }) });
    try {
      expect((await fetch(`${gw.url}/a`, { headers: key })).status).toBe(502);
      expect(gw.errors.join('\n')).toContain('Lambda function error: Error: init failed: no marker');
      expect((await fetch(`${gw.url}/b`, { headers: key })).status).toBe(200);
      await writeFile(marker, '');
      const res = await fetch(`${gw.url}/a`, { headers: key });
      expect(res.status).toBe(200);
      expect(JSON.parse(await res.text())).toMatchObject({ name: 'local-a', loads: 1 });
    } finally {
      await gw.close();
    }
  });

  it('refuses at createGateway a method whose function is not among functions, with no handler to run instead, naming it', () => {
    const definition = definitionWithTwoFunctions();
    expect(() => createGateway({ definition, settings: settingsOf(), apiKey: API_KEY, functions: { 'local-a': functionsIn(1)['local-a']! } })).toThrow(
      /the method GET \/b invokes the function "local-b" \(its integration uri\), which GatewayOptions\.functions does not name \(it names "local-a"\)/,
    );
  });

  it('reads the function name of any Lambda invoke ARN', () => {
    expect(functionOfInvokeArn(invokeArn('local'))).toBe('local');
    expect(functionOfInvokeArn(invokeArn('local-write'))).toBe('local-write');
    expect(functionOfInvokeArn('arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:shop-write-fn-abc123/invocations')).toBe('shop-write-fn-abc123');
    expect(functionOfInvokeArn('arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:shop-fn:live/invocations')).toBe('shop-fn');
    expect(functionOfInvokeArn('arn:aws-cn:apigateway:cn-north-1:lambda:path/2015-03-31/functions/arn:aws-cn:lambda:cn-north-1:123456789012:function:f/invocations')).toBe('f');
    expect(functionOfInvokeArn('https://example.com/')).toBeUndefined();
    expect(functionOfInvokeArn('arn:aws:apigateway:eu-west-1:s3:path/bucket/key')).toBeUndefined();
  });
});

describe('localFunctionsOf (startLocal)', () => {
  it('one entry per function the definition invokes; a function no entry names is refused, naming the method', () => {
    const definition = definitionWithTwoFunctions();
    expect(invokedFunctions(definition)).toEqual(['local-a', 'local-b', 'local']);
    const entry = (name: string, group: string) => ({ name, group, bundleFile: `/b/${group}.mjs`, memorySize: 128, timeoutSeconds: 3 });
    expect(localFunctionsOf(definition, [entry('local-a', 'a'), entry('local-b', 'b'), entry('local', 'default'), entry('local-unused', 'unused')])).toEqual({
      'local-a': { group: 'a', bundleFile: '/b/a.mjs', memorySize: 128, timeoutSeconds: 3 },
      'local-b': { group: 'b', bundleFile: '/b/b.mjs', memorySize: 128, timeoutSeconds: 3 },
      local: { group: 'default', bundleFile: '/b/default.mjs', memorySize: 128, timeoutSeconds: 3 },
    });
    expect(() => localFunctionsOf(definition, [entry('local-a', 'a'), entry('local', 'default')])).toThrow('The method GET /b invokes the function "local-b", which no local function is named (there are: local-a, local)');
    expect(() => localFunctionsOf(definition, [entry('local-a', 'a'), entry('local-a', 'b')])).toThrow('Two local functions are named "local-a" (groups "a" and "b")');
  });
});
