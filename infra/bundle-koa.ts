import type { Plugin } from 'esbuild';
import { readFile } from 'node:fs/promises';

const KOA_FILES = /[\\/]node_modules[\\/]koa[\\/]lib[\\/](response|application)\.js$/;
const WEB_BODY_CHECK = /\b([A-Za-z_$][\w$]*) instanceof (Response|ReadableStream)\b/g;

/**
 * Returns Koa's source with its web-body checks (`x instanceof Response`, `x instanceof ReadableStream`)
 * guarded by the value's `Symbol.toStringTag`, so a JSON body no longer reads those globals.
 * Reading the global `Response` loads all of undici (about 10 ms of the first request after a cold
 * start); a genuine Response or ReadableStream carries that tag, so the answer is unchanged.
 */
export function guardWebBodyChecks(source: string): { code: string; count: number } {
  let count = 0;
  const code = source.replace(WEB_BODY_CHECK, (_, value: string, global: string) => {
    count++;
    return `(${value}?.[Symbol.toStringTag] === '${global}' && ${value} instanceof ${global})`;
  });
  return { code, count };
}

/**
 * Returns an esbuild plugin applying `guardWebBodyChecks` to Koa's response and application modules.
 * It fails the build if a Koa upgrade moved those checks, rather than silently losing the saving.
 */
export function koaLazyWebGlobals(): Plugin {
  return {
    name: 'koa-lazy-web-globals',
    setup(build) {
      build.onLoad({ filter: KOA_FILES }, async (args) => {
        const { code, count } = guardWebBodyChecks(await readFile(args.path, 'utf8'));
        if (count === 0) {
          return { errors: [{ text: `koa-lazy-web-globals: no "instanceof Response/ReadableStream" check found in ${args.path}; update infra/bundle-koa.ts for this Koa version` }] };
        }
        return { contents: code, loader: 'js' };
      });
    },
  };
}
