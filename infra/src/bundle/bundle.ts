import { build, type Metafile, type Plugin } from 'esbuild';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { builtinsThroughRequire } from './builtins';
import { koaLazyWebGlobals } from './koa';
import { lazyExternals } from './lazy-externals';
import { jsonApiMimeDb } from './mime';
import { serverlessHttpReleasesEvent } from './serverless-http';
import { schemaModulesAsData } from './schemas';
import { prebuiltValidators } from './validators';
import { type LoadedApp } from '../app/descriptor';
import { loadApp, loadAppFile } from '../app/load';
import { AppDescriptorError } from '../errors';
import { projectRoot } from '../project';

export interface BundleOptions {
  /** The project root (where `runtime/` and `node_modules/` live). Default: this repository. */
  root?: string;
  /**
   * The app whose Lambda entry is bundled and whose routes the validators are generated from. Default: the
   * descriptor of `root` when `root` is given (`<root>/app.config.ts`), else `loadApp()` (KOA_APIGATEWAY_APP, else app.config.ts).
   */
  app?: LoadedApp;
  /** Output directory; the bundle is `index.mjs` in it. Default `<root>/dist/lambda`. */
  outDir?: string;
  /** Minify (default true: smaller bundle, faster cold start; the source map keeps stack traces readable). */
  minify?: boolean;
  /** The module to bundle, relative to `root` or absolute. Default: the app's `lambda` entry (benchmarks bundle their baselines with it). */
  entry?: string;
  /** More esbuild plugins, run before the bundle's own (benchmarks stub a module with one to measure what it costs). */
  plugins?: Plugin[];
  /**
   * The routes the bundle serves, `METHOD /resource/path` (a GatewaySpec function's `routes`): route validators are
   * generated for these only. Default: every route of the app (the app's own entry serves them all).
   */
  routes?: readonly string[];
  /**
   * The function groups whose own entry (descriptor `functions.<group>.lambda`) `entry` is: a bundle that exports no
   * `handler` fails naming them and their field. Default: none (the entry is the app's `lambda`, or a benchmark's).
   */
  groups?: readonly string[];
}

export interface BundleResult {
  /** Absolute path of `index.mjs`. */
  file: string;
  outDir: string;
  metafile: Metafile;
}


/** The environment variable that moves the bundle out of `<root>/dist/lambda` (`pulumi up`, `npm start`, `npm run synth`). */
export const BUNDLE_DIR_VARIABLE = 'KOA_APIGATEWAY_BUNDLE_DIR';

/**
 * Returns the absolute output directory the environment asks for, or `undefined` for the default
 * (`<root>/dist/lambda`). Reads `KOA_APIGATEWAY_BUNDLE_DIR`; the older `BUNDLE_DIR` (once read by
 * `npm start` only) is still accepted, with one deprecation line through `warn`, when the first is unset.
 * Relative paths resolve from the current directory. Tests set it so that parallel runs never rewrite
 * the bundle another test is reading; keep it inside the project (`@aws-sdk/*` is left to the Lambda
 * runtime, so locally it resolves from node_modules).
 */
export function bundleDirFromEnv(env: NodeJS.ProcessEnv = process.env, warn: (line: string) => void = console.warn): string | undefined {
  const dir = env[BUNDLE_DIR_VARIABLE];
  if (dir) return path.resolve(dir);
  if (env.BUNDLE_DIR) {
    warn(`BUNDLE_DIR is deprecated: set ${BUNDLE_DIR_VARIABLE} instead (same meaning).`);
    return path.resolve(env.BUNDLE_DIR);
  }
  return undefined;
}

/**
 * Bundles the app's Lambda entry (its descriptor's `lambda`) into one ES module, `index.mjs`, exporting `handler`, with a source map.
 * Deterministic: the same source gives byte-identical output (no timestamps, relative source paths).
 * `@aws-sdk/*` stays external: the Lambda Node.js runtime provides it; it is loaded on first use
 * (see lazy-externals.ts), so memory storage never loads it.
 * MIME tables carry only the types a JSON API needs (see mime.ts): the full mime-db was
 * half the bundle and was parsed and indexed at every cold start. Node built-ins load through
 * `require` (see builtins.ts): importing `http` as an ES module loads undici; so does Koa's
 * `instanceof Response` on every body, now guarded (see koa.ts). serverless-http lets go of
 * each event once its response is out (see serverless-http.ts), which keeps the heap small.
 * Route validators are generated at build time from the app's routes (see validators.ts):
 * TypeBox's compiler is neither shipped nor run at cold start; schema modules are evaluated at build
 * time and ship as JSON (see schemas.ts), so TypeBox's type builders are not shipped either.
 */
export async function bundleLambda(options: BundleOptions = {}): Promise<BundleResult> {
  const root = options.root ?? projectRoot();
  const app = options.app ?? (options.root ? loadAppFile(path.join(root, 'app.config.ts')) : loadApp());
  const outDir = options.outDir ?? path.join(root, 'dist', 'lambda');
  await mkdir(outDir, { recursive: true });
  const file = path.join(outDir, 'index.mjs');
  const result = await build({
    absWorkingDir: root,
    entryPoints: [options.entry ? path.resolve(root, options.entry) : app.lambdaEntry],
    outfile: file,
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    minify: options.minify ?? true,
    sourcemap: true,
    sourcesContent: false,
    legalComments: 'none',
    metafile: true,
    logLevel: 'silent',
    external: ['@aws-sdk/*'],
    // The route kit and the Lambda adapter from this package's TypeScript source (package.json exports), which
    // esbuild tree-shakes as ES modules; `module` is esbuild's own default condition, kept.
    conditions: ['koa-apigateway-source', 'module'],
    plugins: [...(options.plugins ?? []), jsonApiMimeDb(root), builtinsThroughRequire(), koaLazyWebGlobals(), lazyExternals(/^@aws-sdk\//), serverlessHttpReleasesEvent(), prebuiltValidators(app.createApp, options.routes), schemaModulesAsData(root)],
    // Koa and its dependencies are CommonJS and `require` Node built-ins: give the ES module a `require`.
    banner: { js: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);" },
  });
  const descriptor = `App descriptor ${path.relative(root, app.file) || app.file}`;
  const groups = options.groups ?? [];
  const fields = groups.map((g) => `"functions.${g}.lambda"`).join(' and ');
  const named =
    groups.length > 0
      ? {
          what: `${descriptor}: function group${groups.length > 1 ? 's' : ''} ${groups.map((g) => `"${g}"`).join(' and ')}: ${fields} (${lambdaOf(app, groups[0]!) ?? options.entry})`,
          field: `${fields} at the module that does (or remove ${groups.length > 1 ? 'them' : 'it'} to use the app's lambda)`,
        }
      : { what: options.entry ? `the entry ${options.entry}` : `${descriptor}: "lambda" (${app.lambda})`, field: '"lambda" at the module that does' };
  assertExportsHandler(result.metafile, named.what, named.field);
  return { file, outDir, metafile: result.metafile };
}

/** Returns the `lambda` a function group's descriptor entry gives (as written), if any. */
function lambdaOf(app: LoadedApp, group: string): string | undefined {
  return app.functions && app.functions !== 'per-route' ? app.functions[group]?.lambda : undefined;
}

/**
 * Throws AppDescriptorError when the bundle (the one output of `metafile`) exports no `handler`: the Lambda
 * runtime calls the handler the function names (`index.handler`), so such a bundle deploys a function that fails
 * every invocation (Runtime.HandlerNotFound) and `koa-apigateway start` would fail only at the first request. `what` names
 * the entry in the message (the descriptor's `lambda` field, or a function group and its `functions.<group>.lambda`);
 * `field` is what the fix points at the module that exports it.
 */
function assertExportsHandler(metafile: Metafile, what: string, field: string): void {
  const output = Object.values(metafile.outputs).find((o) => o.entryPoint !== undefined);
  if (output && !output.exports.includes('handler')) {
    throw new AppDescriptorError(
      `${what} exports no handler (its exports: ${output.exports.length ? output.exports.join(', ') : 'none'}), so the Lambda runtime would find nothing to call. ` +
        `Fix: export the handler from that module, \`export const handler = lambdaHandler(createApp())\` (lambdaHandler from koa-apigateway/lambda), or point ${field}.`,
    );
  }
}
