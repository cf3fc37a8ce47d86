import type { Plugin } from 'esbuild';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * The media types a JSON API sends or reads. Koa sets `json`, `text`, `html` and `bin` by extension,
 * type-is and accepts match request types against these; every other type is left out of the bundle.
 */
export const JSON_API_MEDIA_TYPES: readonly string[] = [
  'application/json',
  'application/problem+json',
  'application/octet-stream',
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  'text/plain',
  'text/html',
];

const NAMESPACE = 'json-api-mime-db';

/**
 * Returns the subset of a mime-db table the bundle carries: the entries of `JSON_API_MEDIA_TYPES`,
 * copied as they are from that very table (so the values are the ones the full table gives).
 */
export function pickMediaTypes(db: Record<string, unknown>): Record<string, unknown> {
  const subset: Record<string, unknown> = {};
  for (const type of JSON_API_MEDIA_TYPES) if (Object.hasOwn(db, type)) subset[type] = db[type];
  return subset;
}

/**
 * Returns an esbuild plugin that replaces every copy of `mime-db` (about 140 KB of JSON each, parsed and
 * indexed at module init by mime-types) with the few entries a JSON API needs.
 * Each copy keeps its own version's values; paths stay relative to `root` so the bundle is deterministic.
 */
export function jsonApiMimeDb(root: string): Plugin {
  const requireFrom = createRequire(path.join(root, 'package.json'));
  return {
    name: NAMESPACE,
    setup(build) {
      build.onResolve({ filter: /^mime-db$/ }, (args) => {
        const pkg = requireFrom.resolve('mime-db/package.json', { paths: [args.resolveDir] });
        return { path: path.relative(root, path.dirname(pkg)).split(path.sep).join('/'), namespace: NAMESPACE };
      });
      build.onLoad({ filter: /.*/, namespace: NAMESPACE }, (args) => {
        const db = JSON.parse(readFileSync(path.join(root, args.path, 'db.json'), 'utf8')) as Record<string, unknown>;
        return { contents: `module.exports=${JSON.stringify(pickMediaTypes(db))};`, loader: 'js' };
      });
    },
  };
}
