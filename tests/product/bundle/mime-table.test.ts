import { build } from 'esbuild';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JSON_API_MEDIA_TYPES, jsonApiMimeDb } from '../../../infra/src/bundle/mime';
import { ROOT as PROJECT_ROOT } from '../../support/files';

interface MimeTypes {
  contentType(s: string): string | false;
  lookup(s: string): string | false;
  charset(s: string): string | false;
  extension(s: string): string | false;
}
interface Probe {
  koaMime: MimeTypes;
  acceptsMime: MimeTypes;
  typeIs: (type: string, types: string[]) => string | false;
  accepts: (headers: Record<string, string>, types: string[]) => string | false;
}

const requireFromRoot = createRequire(path.join(PROJECT_ROOT, 'package.json'));
// The full tables, as Koa and accepts load them without the bundle's plugin.
const full: Probe = {
  koaMime: requireFromRoot('mime-types') as MimeTypes,
  acceptsMime: createRequire(requireFromRoot.resolve('accepts'))('mime-types') as MimeTypes,
  typeIs: (type, types) => (requireFromRoot('type-is') as { is(t: string, ts: string[]): string | false }).is(type, types),
  accepts: (headers, types) => (requireFromRoot('accepts') as (req: object) => { types(ts: string[]): string | false })({ headers }).types(types),
};

let dir: string;
let slim: Probe;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'mime-'));
  const outfile = path.join(dir, 'probe.cjs');
  await build({
    absWorkingDir: PROJECT_ROOT,
    stdin: {
      resolveDir: PROJECT_ROOT,
      contents: `
        const typeIs = require('type-is'); const accepts = require('accepts');
        module.exports = {
          koaMime: require('mime-types'),
          acceptsMime: require('accepts/node_modules/mime-types'),
          typeIs: (type, types) => typeIs.is(type, types),
          accepts: (headers, types) => accepts({ headers }).types(types),
        };`,
    },
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    logLevel: 'silent',
    plugins: [jsonApiMimeDb(PROJECT_ROOT)],
  });
  slim = (await import(pathToFileURL(outfile).href)).default as Probe;
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const names = ['json', 'text', 'txt', 'html', 'htm', 'bin', 'map', ...JSON_API_MEDIA_TYPES, 'application/json; charset=utf-8', 'text/plain; charset=latin1'];

describe("the bundle's MIME table (only what a JSON API needs)", () => {
  it.each(['koaMime', 'acceptsMime'] as const)('answers like the full mime-db for every type and extension it keeps (%s)', (which) => {
    for (const name of names) {
      for (const fn of ['contentType', 'lookup', 'charset', 'extension'] as const) {
        expect({ name, fn, value: slim[which][fn](name) }).toEqual({ name, fn, value: full[which][fn](name) });
      }
    }
  });

  it('gives Koa the same Content-Type for the bodies it types itself (json, text, html, bin)', () => {
    expect(['json', 'text', 'html', 'bin'].map((t) => slim.koaMime.contentType(t))).toEqual([
      'application/json; charset=utf-8',
      'text/plain; charset=utf-8',
      'text/html; charset=utf-8',
      'application/octet-stream',
    ]);
  });

  it.each([
    ['application/json', ['json']],
    ['application/problem+json', ['json', '+json']],
    ['application/vnd.api+json', ['+json', 'json']],
    ['text/plain; charset=utf-8', ['json', 'text']],
    ['application/x-www-form-urlencoded', ['urlencoded', 'json']],
    ['multipart/form-data; boundary=x', ['multipart']],
    ['image/png', ['json', 'image/*']],
  ])('matches request types as type-is does with the full table (%s)', (type, types) => {
    expect(slim.typeIs(type, types)).toBe(full.typeIs(type, types));
  });

  it.each([
    ['application/json', ['json', 'text']],
    ['text/html,application/xhtml+xml,*/*;q=0.8', ['json', 'html']],
    ['*/*', ['json']],
    ['text/plain', ['json']],
  ])('negotiates Accept as accepts does with the full table (%s)', (accept, types) => {
    expect(slim.accepts({ accept }, types)).toBe(full.accepts({ accept }, types));
  });

  it('drops the rest: an image type is unknown to the bundle (Koa then sends no Content-Type for it)', () => {
    expect(full.koaMime.lookup('png')).toBe('image/png');
    expect(slim.koaMime.lookup('png')).toBe(false);
  });
});
