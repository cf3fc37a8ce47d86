import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { lambdaHandler } from '../../../infra/src/lambda/handler';
import { createMediaApp, PNG } from '../../support/apps/media/app';
import { apiEvent, json } from '../../support/events';

const context = { awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef', getRemainingTimeInMillis: () => 29_000 };
/** Every byte value once: 0x00..0xFF, most of them not UTF-8 on their own. */
const ALL_BYTES = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('lambdaHandler: binary bodies (docs/binary.md)', () => {
  it('sends a response whose Content-Type is a binary media type base64-encoded, isBase64Encoded true (serverless-http#122)', async () => {
    const handler = lambdaHandler(createMediaApp(), { binaryMediaTypes: ['image/png'] });
    const res = await handler(apiEvent('GET', '/logo', { resource: '/logo', public: true, headers: { accept: 'image/png' } }), context);
    expect(res.statusCode).toBe(200);
    expect(res.isBase64Encoded).toBe(true);
    expect(Buffer.from(res.body, 'base64').equals(PNG)).toBe(true);
  });

  it('reads the types from BINARY_MEDIA_TYPES, as the deployment sets them; `type/*` matches, JSON stays text', async () => {
    const before = process.env.BINARY_MEDIA_TYPES;
    process.env.BINARY_MEDIA_TYPES = 'application/octet-stream,image/*';
    try {
      const handler = lambdaHandler(createMediaApp());
      const logo = await handler(apiEvent('GET', '/logo', { resource: '/logo', public: true }), context);
      expect([logo.isBase64Encoded, Buffer.from(logo.body, 'base64').equals(PNG)]).toEqual([true, true]);
      const hello = await handler(apiEvent('GET', '/hello', { resource: '/hello', public: true }), context);
      expect([hello.isBase64Encoded, json(hello)]).toEqual([false, { hello: 'world' }]);
    } finally {
      if (before === undefined) delete process.env.BINARY_MEDIA_TYPES;
      else process.env.BINARY_MEDIA_TYPES = before;
    }
  });

  it('hands the app the exact bytes of a body the event marks isBase64Encoded: 256 bytes 0x00-0xFF stay 256 (serverless-http#34)', async () => {
    const handler = lambdaHandler(createMediaApp(), { binaryMediaTypes: ['application/octet-stream'] });
    // As API Gateway sends a body whose Content-Type is a binary media type (docs/apigateway-behaviour.md §5.5): base64 text, isBase64Encoded true.
    const event = { ...apiEvent('POST', '/blobs', { resource: '/blobs', body: 'x', base64: true, headers: { 'content-type': 'application/octet-stream' } }), body: ALL_BYTES.toString('base64') };
    expect(event.isBase64Encoded).toBe(true);
    const res = await handler(event, context);
    expect(res.statusCode).toBe(200);
    expect(json(res)).toEqual({ sha256: sha256(ALL_BYTES), length: 256, contentType: 'application/octet-stream' });
  });

  it('refuses a body of another media type on a binary route with 415 naming the accepted types', async () => {
    const handler = lambdaHandler(createMediaApp());
    const res = await handler(apiEvent('POST', '/blobs', { resource: '/blobs', body: '{"a":1}', headers: { 'content-type': 'application/json' } }), context);
    expect(res.statusCode).toBe(415);
    expect(json(res).message).toContain('application/octet-stream or image/*');
  });
});
