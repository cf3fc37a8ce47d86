import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenApiDocument } from '../../../../infra/src/tools/conformance/document';
import { isLoopback, isUnderBase, runConformance } from '../../../../infra/src/tools/conformance/run';

const KEY = 'CleanupKey0123456789abcdefXYZ';

/** A document with one create (201 + Location) and one delete, both needing the key. */
const DOC: OpenApiDocument = {
  openapi: '3.1.0',
  info: { title: 'things', version: '1' },
  security: [{ key: [] }],
  paths: {
    '/things': {
      post: {
        operationId: 'createThing',
        requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] } } } },
        responses: { '201': { description: 'Created' }, '400': { description: 'Bad' }, '403': { description: 'Forbidden' } },
      },
    },
    '/things/{id}': {
      delete: {
        operationId: 'deleteThing',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { '204': { description: 'Deleted' }, '403': { description: 'Forbidden' }, '404': { description: 'Not found' } },
      },
    },
  },
  components: { securitySchemes: { key: { type: 'apiKey', in: 'header', name: 'x-api-key' } } },
};

interface Seen { method: string; url: string; key: string | undefined }

/** A real loopback server recording what it receives; `answer` decides the response. */
async function server(answer: (req: http.IncomingMessage, res: http.ServerResponse) => void): Promise<{ url: string; seen: Seen[]; close(): Promise<void> }> {
  const seen: Seen[] = [];
  const s = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, key: req.headers['x-api-key'] as string | undefined });
      answer(req, res);
    });
  });
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(s.address() as AddressInfo).port}`, seen, close: () => new Promise<void>((resolve) => s.close(() => resolve())) };
}

describe('cleanup follows only Locations under the base URL', () => {
  let elsewhere: Awaited<ReturnType<typeof server>>;
  let stage: Awaited<ReturnType<typeof server>>;
  beforeAll(async () => {
    elsewhere = await server((_req, res) => res.writeHead(204).end());
    let created = 0;
    stage = await server((req, res) => {
      if (req.headers['x-api-key'] !== KEY) return res.writeHead(403, { 'content-type': 'application/json', 'x-amzn-ErrorType': 'ForbiddenException' }).end('{"message":"Forbidden"}');
      if (req.method === 'POST') {
        created++;
        // 1st: another origin; 2nd: this origin but outside the stage's path; then under the stage.
        const location = created === 1 ? `${elsewhere.url}/dev/things/1` : created === 2 ? '/other-api/things/2' : `/dev/things/${created}`;
        return res.writeHead(201, { location }).end();
      }
      res.writeHead(204).end();
    });
  });
  afterAll(async () => {
    await elsewhere?.close();
    await stage?.close();
  });

  it('never sends the key to another origin or path, lists those under Left behind, and deletes the rest', async () => {
    const report = await runConformance({ document: DOC, target: { baseUrl: `${stage.url}/dev`, apiKey: KEY, local: true }, rate: 1000 });
    expect(elsewhere.seen).toEqual([]);
    expect(stage.seen.filter((r) => r.url.startsWith('/other-api'))).toEqual([]);
    expect(report.leftBehind).toEqual([`${elsewhere.url}/dev/things/1`, `${stage.url}/other-api/things/2`]);
    const deletes = stage.seen.filter((r) => r.method === 'DELETE').map((r) => r.url);
    // The third 201's Location is under the stage: the cleanup deletes it there.
    expect(deletes).toContain('/dev/things/3');
    expect(deletes).not.toContain('/dev/things/1');
    expect(report.results.filter((r) => r.group === 'cleanup' && r.outcome === 'skip').map((r) => r.note)).toHaveLength(2);
  });

  it('isUnderBase: same origin and under the base path only', () => {
    const base = 'https://abc.execute-api.eu-west-1.amazonaws.com/dev';
    expect(isUnderBase(new URL('https://abc.execute-api.eu-west-1.amazonaws.com/dev/api/v1/todos/1'), base)).toBe(true);
    expect(isUnderBase(new URL('https://abc.execute-api.eu-west-1.amazonaws.com/devx/api'), base)).toBe(false);
    expect(isUnderBase(new URL('https://evil.example/dev/api/v1/todos/1'), base)).toBe(false);
    expect(isUnderBase(new URL('http://abc.execute-api.eu-west-1.amazonaws.com/dev/api'), base)).toBe(false);
  });

  it('isLoopback: 127.0.0.0/8, localhost and ::1 are this machine; a stage host is not', () => {
    for (const url of ['http://127.0.0.1:3000/dev', 'http://localhost:3000/dev', 'http://[::1]:3000/dev', 'http://127.1.2.3/dev']) expect(isLoopback(url), url).toBe(true);
    for (const url of ['https://abc.execute-api.eu-west-1.amazonaws.com/dev', 'http://10.0.0.1/dev', 'http://127.0.0.1.example.com/dev']) expect(isLoopback(url), url).toBe(false);
  });
});
