import type { Plugin } from 'esbuild';
import { isBuiltin } from 'node:module';

const NAMESPACE = 'node-builtin-require';

/**
 * Returns an esbuild plugin that loads Node built-ins the bundle `import`s (`@koa/router` imports `http`)
 * through `require` instead. Node's ES module facade for a built-in reads every export, and reading
 * `http`'s lazy web exports loads all of undici: about 30 ms of each cold start for nothing.
 * `require` returns the same module object without touching those getters.
 */
export function builtinsThroughRequire(): Plugin {
  return {
    name: NAMESPACE,
    setup(build) {
      build.onResolve({ filter: /^[a-z][a-z0-9_:/]*$/ }, (args) =>
        args.kind === 'import-statement' && isBuiltin(args.path) ? { path: args.path, namespace: NAMESPACE } : undefined,
      );
      build.onLoad({ filter: /.*/, namespace: NAMESPACE }, (args) => ({ contents: `module.exports=require(${JSON.stringify(args.path)});`, loader: 'js' }));
    },
  };
}
