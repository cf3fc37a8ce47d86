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

const DESTROY_REQUIRE = "const destroy = require('destroy')";

/**
 * Returns Koa's response module with `destroy` (which destroys a replaced or finished stream body)
 * required on its first call instead of at load: `destroy` requires `zlib` and reads `fs.ReadStream`,
 * which loads Node's fs streams and fs/promises, about 2-4 ms of every cold start, for stream bodies
 * a JSON API never sends. The calls (`destroy(stream)`, `destroy.bind(null, stream)`) are unchanged.
 */
export function lazyDestroy(source: string): { code: string; found: boolean } {
  if (!source.includes(DESTROY_REQUIRE)) return { code: source, found: false };
  return { code: source.replace(DESTROY_REQUIRE, "let destroyModule; const destroy = (...args) => (destroyModule ??= require('destroy'))(...args)"), found: true };
}

const ASSERT_REQUIRE = "const assert = require('node:assert')";
const V8_REQUIRE = "const v8 = require('node:v8')";

/**
 * Returns Koa's response module with `assert` (status and header checks) loading `node:assert` only
 * when a check fails, and its application module with `node:v8` loaded only when it is read (only with
 * the `asyncLocalStorage` option, which the service does not use). Each module costs about 1.5 ms of a
 * cold start (a --cpu-prof of it); a passing `assert(value, message)` does nothing, a failing one throws
 * the same AssertionError from the real module.
 */
export function lazyAssertAndV8(source: string): { code: string; found: boolean } {
  if (source.includes(ASSERT_REQUIRE)) {
    return { code: source.replace(ASSERT_REQUIRE, "let assertModule; const assert = (value, message) => { if (!value) (assertModule ??= require('node:assert'))(value, message) }"), found: true };
  }
  if (source.includes(V8_REQUIRE)) {
    return { code: source.replace(V8_REQUIRE, "let v8Module; const v8 = { get startupSnapshot () { return (v8Module ??= require('node:v8')).startupSnapshot } }"), found: true };
  }
  return { code: source, found: false };
}

/**
 * Returns an esbuild plugin applying `guardWebBodyChecks` to Koa's response and application modules,
 * `lazyAssertAndV8` to both, and `lazyDestroy` to its response module.
 * It fails the build if a Koa upgrade moved those checks, rather than silently losing the saving.
 */
export function koaLazyWebGlobals(): Plugin {
  return {
    name: 'koa-lazy-web-globals',
    setup(build) {
      build.onLoad({ filter: KOA_FILES }, async (args) => {
        const { code, count } = guardWebBodyChecks(await readFile(args.path, 'utf8'));
        if (count === 0) {
          return { errors: [{ text: `koa-lazy-web-globals: no "instanceof Response/ReadableStream" check found in ${args.path}; koa-apigateway's bundler does not know this Koa version: install a koa version its peerDependencies name, or report the version` }] };
        }
        const lazyBuiltins = lazyAssertAndV8(code);
        if (!lazyBuiltins.found) {
          return { errors: [{ text: `koa-lazy-web-globals: no "${ASSERT_REQUIRE}" or "${V8_REQUIRE}" found in ${args.path}; koa-apigateway's bundler does not know this Koa version: install a koa version its peerDependencies name, or report the version` }] };
        }
        if (!/response\.js$/.test(args.path)) return { contents: lazyBuiltins.code, loader: 'js' };
        const lazy = lazyDestroy(lazyBuiltins.code);
        if (!lazy.found) {
          return { errors: [{ text: `koa-lazy-web-globals: no "${DESTROY_REQUIRE}" found in ${args.path}; koa-apigateway's bundler does not know this Koa version: install a koa version its peerDependencies name, or report the version` }] };
        }
        return { contents: lazy.code, loader: 'js' };
      });
    },
  };
}
