import type Koa from 'koa';
import type { RouteOverride } from '../route/declaration';
import type { FunctionGroups } from '../core/plan/functions';
import type { Contract } from '../tools/conformance/contract';
import type { AppSettingDeclarations } from '../settings/types';

export type { AppSettingDeclaration, AppSettingDeclarations } from '../settings/types';
export type { FunctionGroup, FunctionGroups } from '../core/plan/functions';

/**
 * What the product needs to know about the Koa app it deploys and serves: one object, written once by the
 * app (the repository's `app.config.ts`: `export default defineApp({...})`) and read by everything generic —
 * the Pulumi program (index.ts), the commands (`koa-apigateway start`, `dev`, `openapi`, `synth`, `conformance`,
 * `client`, `build`, `serve`), and the bundler. Paths are relative to the descriptor's own folder.
 */
export interface AppDescriptor {
  /**
   * The prefix of every Pulumi resource name (`new KoaGateway(name, ...)`: `<name>-api`, `<name>-fn`, ...):
   * lower-case letters, digits and `-`, starting with a letter, at most 24 characters. Renaming it
   * replaces every resource of a deployed stack.
   */
  name: string;
  /**
   * The API's title: `info.title` of the deployed document (the RestApi's body), of `koa-apigateway openapi` and of
   * `koa-apigateway start`'s /openapi.json, the same in all three (e.g. `'orders-api'`). The RestApi's description names
   * the `name`.
   */
  title: string;
  /** The API's version: `info.version` of the same three documents (e.g. `'1.0.0'`). */
  version: string;
  /**
   * Returns the Koa app with every route mounted, without side effects (nothing listens or connects):
   * the routes are discovered from it. Synchronous: the app itself, not a Promise (an async createApp is
   * refused when called, as is anything but a Koa app). Only routes of @koa/router routers mounted on the app
   * (`app.use(router.routes())`, nested routers included) are discovered and deployed: a path a middleware
   * answers by itself (`app.use` with a path check, koa-mount, koa-static) is not. `userPool` says whether
   * the stack has a user pool (`userPool` config), so routes that need a user pool token may be mounted.
   */
  createApp(options: { userPool: boolean }): Koa;
  /** The Lambda entry module, exporting `handler` (e.g. `'service/lambda.ts'`); bundled by esbuild. */
  lambda: string;
  /** The folders `koa-apigateway dev` watches for changes (e.g. `['service']`); at least one. */
  watch: readonly string[];
  /**
   * The app's own Pulumi config keys (`<project>:<key>`), read and checked by the same strict reader as the
   * gateway's (`pulumi up`, `koa-apigateway start`, `dev`, `synth`, `openapi`): an unknown key still fails with "did
   * you mean". Values reach the program as `settings.app[key]`. Declared here only, not in Pulumi.yaml (which holds
   * the gateway's keys, so another app served through KOA_APIGATEWAY_APP reads it unchanged); set in stack files.
   */
  settings?: AppSettingDeclarations;
  /**
   * Starts what the app needs beside it on this machine for `koa-apigateway start` (a local database, say), before the
   * bundle loads: it may set variables in `env` for the function. Returns something to stop with the
   * gateway, or undefined when nothing was started. A VisibleError it throws is printed as one line.
   */
  localServices?(context: LocalServicesContext): Promise<LocalServices | undefined>;
  /**
   * What to say of routes registered without a declaration (plain `router.get(...)`), without touching
   * their code: keyed `METHOD /path` with the Koa path as the router registers it (prefix included), each
   * entry sets the route's `auth` (or `public`), `operationId`, `summary`, `description`, `tags`, `function` (its group), e.g.
   * `routes: { 'GET /status': { auth: 'public', summary: 'Health', operationId: 'status' }, 'POST /webhooks/stripe': { auth: 'public' } }`.
   * Applied wherever the app is planned (the Pulumi program, `start`, `openapi`, `synth`, `conformance`).
   * Schemas are not set here (the service could not validate them): declare those in the code with
   * `route({...})` or `addRoute` (koa-apigateway/route). An entry whose key is not `METHOD /path`, that
   * names no route, or that contradicts the route's own declaration fails the plan (RouteError naming the entry and the fix).
   */
  routes?: Readonly<Record<string, RouteOverride>>;
  /**
   * Which Lambda function serves which route (docs/functions.md). Without it one function serves every route.
   * Named groups, each with the routes it serves (`METHOD /path` patterns) and its own memory, timeout,
   * architecture, reserved concurrency, environment and entry, e.g.
   * `functions: { read: { routes: ['GET /items', 'GET /items/:id'] }, write: { routes: ['POST /items'], memorySize: 1024 } }`;
   * routes no group claims stay in the group `default`. A route or a router can name its group in the code
   * (`route({ function: 'write' })`, `functionGroup(router, 'write')`); a pattern naming another group for it is
   * refused at `pulumi preview`, as are two groups' patterns matching one route. `'per-route'`: every route its own
   * function, named from its operationId (kebab-case, at most 20 characters). Checked when read (AppDescriptorError
   * naming the key and the fix); `pulumi preview` and `koa-apigateway synth` warn about a pattern matching no route.
   */
  functions?: FunctionGroups;
  /** The app's own conformance contracts (flows beyond its schemas) that `koa-apigateway conformance` runs too. */
  contracts?: readonly Contract[];
}

/** What {@link AppDescriptor.localServices} gets. */
export interface LocalServicesContext {
  /** The environment the local function runs with (the process's): read the app's switches, set its variables. */
  env: NodeJS.ProcessEnv;
  /** The app's settings of the stack being served (`settings.app`). */
  settings: Readonly<Record<string, string>>;
  /** Where to print a line for the user. */
  out: (line: string) => void;
}

/** What {@link AppDescriptor.localServices} started: stopped when the local gateway stops. */
export interface LocalServices {
  close(): Promise<void>;
}

/** A descriptor as read from its file, with its paths resolved. */
export interface LoadedApp extends AppDescriptor {
  /** Absolute path of the descriptor file. */
  file: string;
  /** Absolute folder of the descriptor: the app's paths are relative to it. */
  root: string;
  /** Absolute path of {@link AppDescriptor.lambda}. */
  lambdaEntry: string;
  /** Absolute paths of {@link AppDescriptor.watch}. */
  watchDirs: string[];
  /** Absolute path of each function group's own `lambda` entry (descriptor `functions`), by group; groups without one are not listed. */
  functionEntries: Record<string, string>;
}

/**
 * Returns `descriptor` unchanged, typed: the one export of an app's descriptor file
 * (`export default defineApp({ name: 'orders', title: 'orders-api', version: '1.0.0', createApp, lambda: 'src/lambda.ts', watch: ['src'] })`).
 * Checked when read (see {@link loadApp}).
 */
export function defineApp(descriptor: AppDescriptor): AppDescriptor {
  return descriptor;
}

