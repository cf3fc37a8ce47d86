import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { AppDescriptorError, VisibleError } from '../errors';
import { recordFormatRegistry, type FormatRegistry } from '../route/format-registries';
import { projectRoot } from '../project';
import type Koa from 'koa';
import type { AppDescriptor, LoadedApp } from './descriptor';
import { functionGroupsProblem } from '../core/plan/functions';

/** The environment variable naming another descriptor file for every script and the program (relative to the current directory). */
export const APP_VARIABLE = 'KOA_APIGATEWAY_APP';

/** The descriptor's file name, read at the project root when {@link APP_VARIABLE} is unset. */
export const DEFAULT_APP_FILE_NAME = 'app.config.ts';

/** Returns the descriptor read when {@link APP_VARIABLE} is unset: `app.config.ts` at the project root (see projectRoot). */
export function defaultAppFile(root: string = projectRoot()): string {
  return path.join(root, DEFAULT_APP_FILE_NAME);
}

/** Returns the descriptor file {@link loadApp} reads: the one {@link APP_VARIABLE} names (relative to the current directory), else {@link defaultAppFile}. */
export function appFile(env: NodeJS.ProcessEnv = process.env): string {
  const named = env[APP_VARIABLE];
  return named ? path.resolve(named) : defaultAppFile();
}

/** A resource-name prefix Pulumi and AWS accept in every name built from it. */
const NAME_PATTERN = /^[a-z][a-z0-9-]{0,23}$/;

const cache = new Map<string, LoadedApp>();

/**
 * Returns the app's descriptor: the file {@link APP_VARIABLE} names (relative to the current directory), else
 * `app.config.ts` at the project root (the folder of Pulumi.yaml); its default export (or an export named `app`), checked. Loaded once
 * per file. Throws AppDescriptorError when the file is missing, exports no descriptor, or a field is
 * unusable (see {@link checkApp}), naming the variable or field and the fix.
 */
export function loadApp(env: NodeJS.ProcessEnv = process.env): LoadedApp {
  const named = env[APP_VARIABLE];
  return named ? loadAppFile(path.resolve(named), `${APP_VARIABLE}=${named}`) : loadAppFile(defaultAppFile());
}

/**
 * Returns the checked descriptor exported by `file` (absolute); `source` names it in errors (the variable
 * that named it, or the file). Loaded once per file. Throws AppDescriptorError (see {@link loadApp}).
 */
export function loadAppFile(file: string, source = path.basename(file)): LoadedApp {
  const cached = cache.get(file);
  if (cached) return cached;
  const named = source.startsWith(`${APP_VARIABLE}=`);
  if (!existsSync(file) || !statSync(file).isFile()) {
    throw new AppDescriptorError(
      `${source}: no such file (${file}). Fix: ${named ? `point ${APP_VARIABLE} at an app descriptor file (e.g. ${APP_VARIABLE}=app.config.ts), or unset it to use app.config.ts at the project root` : `create ${path.basename(file)} exporting defineApp({...}) (import { defineApp } from 'koa-apigateway'), or set ${APP_VARIABLE}=<descriptor file>`}.`,
    );
  }
  const { exports: module, requireAsApp } = requireTypeScript(file) as { exports: { default?: unknown; app?: unknown }; requireAsApp(id: string): unknown };
  recordAppFormats(requireAsApp);
  const descriptor = module.default ?? module.app;
  if (descriptor === null || typeof descriptor !== 'object') {
    throw new AppDescriptorError(
      `${source}: the module exports no app descriptor. Fix: export default defineApp({ name, title, version, createApp, lambda, watch }) (import { defineApp } from 'koa-apigateway') from ${file}${named ? `, or point ${APP_VARIABLE} at the file that does` : ''}.`,
    );
  }
  const loaded = checkApp(descriptor as AppDescriptor, file, source);
  cache.set(file, loaded);
  return loaded;
}

/**
 * Returns `descriptor` with its paths resolved against the folder of `file`, after checking every field;
 * throws AppDescriptorError naming `source`, the field and the fix for: a bad `name`, an empty `title` or
 * `version`, a `createApp` that is not a function, a `lambda` entry that is no file (missing, or a directory) or a
 * `watch` folder that does not exist,
 * a `settings` key that is no camelCase name or has a default outside its own `values` (a key the gateway
 * has already is refused by the settings reader, infra/src/settings/parse.ts), and `functions` that are not
 * groups Lambda could run (a bad group name, a pattern that is not `METHOD /path`, a memory size, timeout,
 * architecture, reserved concurrency or environment of the wrong type or out of Lambda's range:
 * core/plan/functions.ts functionGroupsProblem) or name a group `lambda` entry that is no file (missing, or a directory).
 */
export function checkApp(descriptor: AppDescriptor, file: string, source = file): LoadedApp {
  const fail = (field: string, problem: string, fix: string): never => {
    throw new AppDescriptorError(`App descriptor ${source}: "${field}" ${problem}. Fix: ${fix}.`);
  };
  const root = path.dirname(file);
  const d = descriptor as Partial<AppDescriptor> & Record<string, unknown>;
  if (typeof d.name !== 'string' || !NAME_PATTERN.test(d.name)) {
    fail('name', `is ${JSON.stringify(d.name)}, not a resource-name prefix`, "name it with lower-case letters, digits and '-', starting with a letter, at most 24 characters (e.g. name: 'orders')");
  }
  for (const field of ['title', 'version'] as const) {
    if (typeof d[field] !== 'string' || (d[field] as string).trim() === '') fail(field, 'is missing', `set ${field} to the API's ${field === 'title' ? "title (e.g. title: 'orders-api')" : "version (e.g. version: '1.0.0')"}`);
  }
  if (typeof d.createApp !== 'function') fail('createApp', 'is missing (not a function)', 'set createApp to the function returning your Koa app, e.g. createApp: (options) => createApp(options)');
  if (typeof d.lambda !== 'string' || d.lambda === '') fail('lambda', 'is missing', "set lambda to your Lambda entry module, relative to the descriptor (e.g. lambda: 'src/lambda.ts')");
  const lambdaEntry = path.resolve(root, d.lambda!);
  const lambdaProblem = entryProblem(d.lambda!, lambdaEntry);
  if (lambdaProblem) fail('lambda', lambdaProblem, 'name the module file exporting your Lambda `handler`, relative to the descriptor (e.g. src/lambda.ts)');
  if (!Array.isArray(d.watch) || d.watch.length === 0) fail('watch', 'is missing', "list the folders koa-apigateway dev watches, relative to the descriptor (e.g. watch: ['src'])");
  const watchDirs = d.watch!.map((dir) => {
    const absolute = path.resolve(root, String(dir));
    if (!existsSync(absolute) || !statSync(absolute).isDirectory()) fail('watch', `names ${JSON.stringify(dir)}, which is not a folder (${absolute})`, 'list existing folders, relative to the descriptor');
    return absolute;
  });
  for (const [key, declaration] of Object.entries(d.settings ?? {})) {
    if (!/^[A-Za-z][A-Za-z0-9]*$/.test(key)) fail(`settings.${key}`, 'is not a config key name', 'use letters and digits, starting with a letter (camelCase)');
    if (typeof declaration?.default !== 'string') fail(`settings.${key}.default`, 'is missing', 'set default to the value (a string) used when the stack does not set the key');
    if (declaration.values && !declaration.values.includes(declaration.default)) fail(`settings.${key}.default`, `is ${JSON.stringify(declaration.default)}, not one of its values (${declaration.values.join(', ')})`, 'make the default one of the values');
  }
  const problem = functionGroupsProblem(d.functions);
  if (problem) fail(problem.key, problem.problem, problem.fix);
  const functionEntries: Record<string, string> = {};
  for (const [group, settings] of Object.entries(d.functions && d.functions !== 'per-route' ? d.functions : {})) {
    if (settings.lambda === undefined) continue;
    const entry = path.resolve(root, settings.lambda);
    const problem = entryProblem(settings.lambda, entry);
    if (problem) fail(`functions.${group}.lambda`, problem, "name the module file exporting the group's Lambda `handler` (e.g. src/lambda.ts), relative to the descriptor, or remove it to use the app's lambda");
    functionEntries[group] = entry;
  }
  const createApp = descriptor.createApp.bind(descriptor);
  return { ...(descriptor as AppDescriptor), createApp: (options) => koaAppOf(source, withContext(source, () => createApp(options))), file, root, lambdaEntry, watchDirs, functionEntries };
}

/**
 * Returns what is wrong with a `lambda` entry (`named` as the descriptor gives it, `absolute` resolved against the
 * descriptor's folder), or undefined when it is a file: it does not exist, or it is a directory (a module file is
 * bundled, not a folder's index).
 */
function entryProblem(named: string, absolute: string): string | undefined {
  if (!existsSync(absolute)) return `names ${named}, which does not exist (${absolute})`;
  if (statSync(absolute).isDirectory()) return `names ${named}, which is a directory (${absolute}), not a module file`;
  if (!statSync(absolute).isFile()) return `names ${named}, which is not a file (${absolute})`;
  return undefined;
}

/**
 * Returns `app`, what the descriptor's createApp returned, when it is a Koa app (its `middleware` list, where
 * the routes are discovered, and its `callback`). Throws AppDescriptorError naming `source` and the fix for a
 * Promise (an async createApp: the routes are read synchronously, by pulumi preview and by every command) and
 * for anything else (an http.Server from `app.listen()`, undefined when the function forgot to return the app).
 */
function koaAppOf(source: string, app: unknown): Koa {
  const fail = (problem: string, fix: string): never => {
    throw new AppDescriptorError(`App descriptor ${source}: "createApp" ${problem}. Fix: ${fix}.`);
  };
  if (app !== null && (typeof app === 'object' || typeof app === 'function') && typeof (app as { then?: unknown }).then === 'function') {
    // Its failure is reported here, as this error: not again as an unhandled rejection.
    (app as Promise<unknown>).then(undefined, () => undefined);
    fail(
      'returned a Promise (is it async?), not a Koa app: the routes are read synchronously, by pulumi preview and by every command',
      'build the app synchronously and return it; open connections (a database, secrets) on the first request or in the Lambda entry, not before returning the app',
    );
  }
  const koa = app as Partial<Koa> | null | undefined;
  if (!koa || !Array.isArray(koa.middleware) || typeof koa.callback !== 'function') {
    const what = app === undefined ? 'nothing (undefined)' : app === null ? 'null' : typeof app === 'object' ? `a ${(app as object).constructor?.name ?? 'plain object'}` : `a ${typeof app}`;
    fail(`returned ${what}, not a Koa app`, 'return the app itself (const app = new Koa(); ...mount every route...; return app;), without listening: keep app.listen() in an entry of its own');
  }
  return app as Koa;
}

/**
 * Runs the app's `createApp`, saying where a failure came from: a VisibleError passes as it is, and so does
 * a compile error of the app's source (tsx's TransformError, esbuild's failure with its `errors`: `npm start`
 * prints esbuild's own report of it); anything else (a bug of the app, a route path the router refuses) is rethrown as an Error whose message names the
 * descriptor and `createApp`, whose stack is the original's (the app's own frames) and whose cause is it.
 */
function withContext<T>(source: string, run: () => T): T {
  try {
    return run();
  } catch (err) {
    if (err instanceof VisibleError || isCompileError(err)) throw err;
    const original = err instanceof Error ? err : new Error(String(err));
    const failure = new Error(`App descriptor ${source}: createApp threw ${original.name}: ${original.message}`, { cause: err });
    failure.stack = `${failure.message}\n${(original.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line)).join('\n')}`;
    throw failure;
  }
}

/**
 * Loads a TypeScript module synchronously: with the running `require` where it can (tsx runs the scripts,
 * ts-node the Pulumi program: the descriptor then shares their modules), else through tsx's API (vitest,
 * plain Node, whose own type stripping resolves no extension-less import).
 */
function requireTypeScript(file: string): { exports: unknown; requireAsApp(id: string): unknown } {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return { exports: require(file), requireAsApp: (id) => createRequire(file)(id) };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'MODULE_NOT_FOUND' && code !== 'ERR_MODULE_NOT_FOUND' && code !== 'ERR_UNKNOWN_FILE_EXTENSION' && !(err instanceof SyntaxError)) throw err;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const tsx = require('tsx/cjs/api') as { require: (id: string, from: string) => unknown };
    // tsx's require keeps one namespace per process: a module required through it from the app's file is the app's.
    return { exports: tsx.require(file, __filename), requireAsApp: (id) => tsx.require(id, file) };
  }
}

/**
 * Records the format registry of the TypeBox the app itself imports (route/format-registries.ts), so the plan and
 * the bundle's validators know the formats it registers with `Format.Set`. Loaded through tsx, the app gets a copy
 * of TypeBox (an ES module tsx loads in its namespace) other than this package's, and a route kit this process
 * loaded before the app compiles against the package's: without this record its formats would be unknown here.
 * An app that does not use TypeBox records nothing.
 */
function recordAppFormats(requireAsApp: (id: string) => unknown): void {
  let registry: unknown;
  try {
    registry = (requireAsApp('typebox/format') as { Format?: unknown }).Format;
  } catch {
    return;
  }
  if (registry !== null && typeof registry === 'object' && typeof (registry as FormatRegistry).Entries === 'function') recordFormatRegistry(registry as FormatRegistry);
}

/** True for a compile error of a source file: tsx's TransformError, or esbuild's failure carrying its `errors` list. */
function isCompileError(err: unknown): boolean {
  return err instanceof Error && (err.name === 'TransformError' || Array.isArray((err as { errors?: unknown }).errors));
}
