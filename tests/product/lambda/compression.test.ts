import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { lambdaHandler } from '../../../infra/src/lambda/handler';
import { createMediaApp, PACKED } from '../../support/apps/media/app';
import { createPlainApp } from '../../support/apps/plain/app';
import { apiEvent, json } from '../../support/events';

const context = { awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef', getRemainingTimeInMillis: () => 29_000 };
const header = (res: { headers?: Record<string, unknown>; multiValueHeaders?: Record<string, unknown[]> }, name: string) =>
  Object.entries({ ...res.headers, ...res.multiValueHeaders }).find(([k]) => k.toLowerCase() === name)?.[1];

/**
 * An app that compresses itself (as koa-compress does: a gzip Buffer with `Content-Encoding: gzip`) behind
 * lambdaHandler, events as API Gateway sends them (docs/compression.md). API Gateway decodes the base64 such a response
 * must go out as only for a client whose first Accept type is a binary media type (docs/apigateway-behaviour.md §6.8);
 * to any other client it would pass the base64 text under `Content-Encoding: gzip`, which no client can read
 * (fastify/fastify-compress#228).
 */
describe('lambdaHandler: an app that compresses its own responses (docs/compression.md)', () => {
  it('decodes the gzip body and drops Content-Encoding when API Gateway would not decode the base64 (Accept: */*)', async () => {
    const handler = lambdaHandler(createMediaApp(), { binaryMediaTypes: [] });
    const res = await handler(apiEvent('GET', '/packed?encoding=gzip', { resource: '/packed', public: true, headers: { accept: '*/*', 'accept-encoding': 'gzip' } }), context);
    expect(res.statusCode).toBe(200);
    expect(res.isBase64Encoded).toBe(false);
    expect(header(res, 'content-encoding')).toBeUndefined();
    expect(json(res)).toEqual(PACKED);
  });

  it('decodes deflate and br alike', async () => {
    const handler = lambdaHandler(createMediaApp(), { binaryMediaTypes: [] });
    for (const encoding of ['deflate', 'br']) {
      const res = await handler(apiEvent('GET', `/packed?encoding=${encoding}`, { resource: '/packed', public: true, headers: { accept: 'application/json', 'accept-encoding': encoding } }), context);
      expect([encoding, res.isBase64Encoded, header(res, 'content-encoding'), json(res)]).toEqual([encoding, false, undefined, PACKED]);
    }
  });

  it('passes the compressed bytes base64 with Content-Encoding when the Accept matches a binary media type: API Gateway decodes them to the gzip bytes', async () => {
    const handler = lambdaHandler(createMediaApp(), { binaryMediaTypes: ['application/json'] });
    const res = await handler(apiEvent('GET', '/packed?encoding=gzip', { resource: '/packed', public: true, headers: { accept: 'application/json', 'accept-encoding': 'gzip' } }), context);
    expect(res.isBase64Encoded).toBe(true);
    expect(String(header(res, 'content-encoding'))).toBe('gzip');
    expect(JSON.parse(gunzipSync(Buffer.from(res.body, 'base64')).toString('utf8'))).toEqual(PACKED);
  });

  it('sends a decoded body whose Content-Type is a binary media type base64 again, without Content-Encoding', async () => {
    const handler = lambdaHandler(createMediaApp(), { binaryMediaTypes: ['application/*'] });
    const res = await handler(apiEvent('GET', '/packed?encoding=br', { resource: '/packed', public: true, headers: { accept: 'text/html' } }), context);
    expect(res.isBase64Encoded).toBe(true);
    expect(header(res, 'content-encoding')).toBeUndefined();
    expect(JSON.parse(Buffer.from(res.body, 'base64').toString('utf8'))).toEqual(PACKED);
  });
});

describe('lambdaHandler: a request body API Gateway decompressed (docs/compression.md)', () => {
  it('hands a body parser the plain body without the Content-Encoding API Gateway passes on (serverless-http#194)', async () => {
    const handler = lambdaHandler(createPlainApp());
    // As API Gateway sends a gzip request: the body already decompressed, Content-Encoding still among the headers.
    const event = apiEvent('POST', '/notes/import', { resource: '/notes/import', body: '["first","second"]', headers: { 'content-type': 'application/json', 'Content-Encoding': 'gzip' } });
    const res = await handler(event, context);
    expect([res.statusCode, json(res)]).toEqual([200, { imported: 2 }]);
  });
});

describe('lambdaHandler: an app that compresses twice', () => {
  it('undoes each coding, last applied first, whether the list is one header line or two', async () => {
    const { default: Koa } = await import('koa');
    const { deflateSync, gzipSync } = await import('node:zlib');
    const app = new Koa();
    app.use((ctx) => {
      ctx.type = 'application/json';
      if (ctx.query.lines === '2') {
        ctx.append('Content-Encoding', 'deflate');
        ctx.append('Content-Encoding', 'gzip');
      } else ctx.set('Content-Encoding', 'deflate, gzip');
      ctx.body = gzipSync(deflateSync(Buffer.from(JSON.stringify(PACKED))));
    });
    const handler = lambdaHandler(app, { binaryMediaTypes: [] });
    for (const lines of ['1', '2']) {
      const res = await handler(apiEvent('GET', `/twice?lines=${lines}`, { resource: '/twice', public: true, headers: { accept: '*/*' } }), context);
      expect([lines, res.isBase64Encoded, header(res, 'content-encoding'), json(res)]).toEqual([lines, false, undefined, PACKED]);
    }
  });
});
