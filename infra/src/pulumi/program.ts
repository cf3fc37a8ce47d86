import * as pulumi from '@pulumi/pulumi';
import path from 'node:path';
import type { LoadedApp } from '../app/descriptor';
import { loadApp, loadAppFile } from '../app/load';
import { bundleDirFromEnv, type BundleResult } from '../bundle/bundle';
import { bundleFunctionGroups } from '../bundle/groups';
import { authorizationOf } from '../core/definition';
import { mountableRoutes, planApi } from '../core/build-api';
import { DEFAULT_FUNCTION, undeclaredFunctionGroups, unmatchedFunctionPatterns } from '../core/plan/functions';
import { RouteError } from '../errors';
import { projectRoot } from '../project';
import type { GatewaySettings } from '../settings/types';
import type { GatewaySpec } from '../core/plan/types';
import { KoaGateway, type FunctionOutput, type FunctionResources } from './component';
import type { KoaGatewayTransforms } from './transform';
import { readPulumiSettings } from './config';
import { asRunError, visibleAsRunError } from './run-error';

/** What {@link DeployAppOptions.resources} gets: the app, its resource-name prefix and the stack's settings. */
export interface AppResourcesContext {
  app: LoadedApp;
  /** The prefix of every resource name (the descriptor's `name`): name your own resources from it. */
  name: string;
  /** The stack's settings, the gateway's and the app's own keys (`settings.app`, declared in the descriptor's `settings`). */
  settings: GatewaySettings;
}

/** The app's own resources, as {@link DeployAppOptions.resources} returns them. */
export interface AppResources<O extends Record<string, unknown> = Record<string, unknown>> {
  /** Environment variables the function gets (a table's name, say). */
  environment?: Record<string, pulumi.Input<string>>;
  /** Inline policies (name → JSON policy document) for every function's role (rights on that table, say). */
  policies?: Record<string, pulumi.Input<string>>;
  /**
   * What only some function groups get (group → `{ policies, environment }`), over the shared ones: e.g. read
   * rights on the table for `read`, write rights for `write` (docs/functions.md). A group that is not deployed is ignored.
   */
  functions?: Record<string, FunctionResources>;
  /** More stack outputs, returned beside the gateway's (`tableName`, say). */
  outputs?: O;
}

/** Options of {@link deployApp}; every field is optional. */
export interface DeployAppOptions<O extends Record<string, unknown> = Record<string, unknown>> {
  /**
   * The app descriptor file, relative to the current directory (Pulumi runs the program in the project's folder).
   * @default the file KOA_APIGATEWAY_APP names, else `app.config.ts` at the project root
   */
  app?: string;
  /**
   * Creates what the app needs beside the gateway (a table, a bucket) before the function, and returns its
   * environment, policies and extra outputs. Called once, with the stack's settings.
   */
  resources?: (context: AppResourcesContext) => AppResources<O> | undefined;
  /**
   * Adjusts the gateway's child resources without forking the component (KoaGatewayArgs.transform): for each
   * child (`api`, `stage`, `deployment`, `function`, `role`, `logGroup`, `usagePlan`, `apiKey`, ...), args
   * merged over the component's, or a function `(args, opts, name) => void` that changes them in place.
   * @default none
   */
  transform?: KoaGatewayTransforms;
  /** Options of the {@link KoaGateway} component itself (a provider, a parent, aliases). */
  opts?: pulumi.ComponentResourceOptions;
}

/** The stack outputs of a deployed app: export them from the program (`export const { url, apiKey } = deployApp()`). */
export interface DeployedApp {
  /** The stage's invoke URL, e.g. `https://abc123.execute-api.us-east-1.amazonaws.com/dev`. */
  url: pulumi.Output<string>;
  /** The API key's value, a secret: `pulumi stack output apiKey --show-secrets`. */
  apiKey: pulumi.Output<string>;
  apiKeyId: pulumi.Output<string>;
  restApiId: pulumi.Output<string>;
  /** The `default` group's function (else the first group's). */
  functionName: pulumi.Output<string>;
  logGroupName: pulumi.Output<string>;
  /** Every function by group: its name, the routes it serves, its memory (MB) and timeout (s). */
  functions: Record<string, FunctionOutput>;
  accessLogGroupName: pulumi.Output<string> | undefined;
  /** The deployed routes, `METHOD /path`, sorted: `pulumi preview` shows added and removed ones as an output diff. */
  routes: string[];
  /** How each route is authorized: api key, public, or a user pool token (with its scopes, and the key when both are required). */
  authorization: Record<string, string>;
  /** The user pool of token routes (`userPool` config): its id, the app client id, and the tokens' issuer URL. */
  userPoolId: pulumi.Output<string> | undefined;
  userPoolClientId: pulumi.Output<string> | undefined;
  issuerUrl: pulumi.Output<string> | undefined;
  /** The API through its custom domain, `https://<domainName>[/<basePath>]` (`domainName` only). */
  customUrl: pulumi.Output<string> | undefined;
  /** The host the custom domain's DNS record must point at, when this stack creates the domain. */
  domainTarget: pulumi.Output<string> | undefined;
  /** The WAF web ACL on the stage (`waf: true` only). */
  webAclArn: pulumi.Output<string> | undefined;
  /** The component, for what the outputs do not cover. */
  gateway: KoaGateway;
}

/**
 * The whole Pulumi program of an app, in one call: reads the app descriptor and the stack's settings (a
 * mistyped key or a bad value fails here, at preview, naming the key and the fix), plans the routes the app
 * serves (a route API Gateway cannot deploy fails here too), bundles the Lambda entry with esbuild, creates
 * the app's own resources ({@link DeployAppOptions.resources}) and the {@link KoaGateway}, and returns the
 * stack outputs. `index.ts` of a project is then
 * `export const { url, apiKey, routes, authorization, functions } = deployApp();`.
 * Throws a pulumi.RunError for a user error (its `cause` the AppDescriptorError, SettingsError, RouteError...,
 * VisibleErrors all), which `pulumi up` prints as its message alone, without a stack (./run-error.ts); the
 * bundle's own user errors (a validator that cannot be generated) reject the function's code the same way.
 */
export function deployApp<O extends Record<string, unknown> = Record<string, never>>(options: DeployAppOptions<O> = {}): DeployedApp & Partial<O> {
  return visibleAsRunError(() => deploy(options));
}

function deploy<O extends Record<string, unknown>>(options: DeployAppOptions<O>): DeployedApp & Partial<O> {
  const app = options.app ? loadAppFile(path.resolve(options.app)) : loadApp();
  const settings = readPulumiSettings(app.settings);
  // The chain every document comes from (core/build-api.ts): with a user pool configured, the app may mount
  // its token routes (docs/auth.md); the component builds the definition from this spec with the deployed ARNs.
  const spec = planApi(app, settings);
  // What the app can mount in any stack (its user pool routes too): a pattern of the descriptor's functions matching
  // none of it is a warning (a typo moves nothing); a group of resources().functions naming no group is refused.
  const mountable = mountableRoutes(app);
  for (const warning of [...unmatchedFunctionPatterns(app.functions, mountable.routes), ...undeclaredFunctionGroups(app.functions, mountable.groups)]) pulumi.log.warn(warning);
  const own = options.resources?.({ app, name: app.name, settings });
  checkResourceGroups(own?.functions, [...(app.functions && app.functions !== 'per-route' ? Object.keys(app.functions) : []), ...mountable.groups, ...spec.functions.map((f) => f.name), DEFAULT_FUNCTION]);
  const code = bundleGroups(app, spec.functions);
  const gateway = new KoaGateway(
    app.name,
    {
      spec,
      // The deployed document's info, as `start` and `openapi` show it.
      title: app.title,
      version: app.version,
      settings,
      code,
      ...(own?.environment && { environment: own.environment }),
      ...(own?.policies && { policies: own.policies }),
      ...(own?.functions && { functions: own.functions }),
      ...(options.transform && { transform: options.transform }),
    },
    options.opts,
  );
  return {
    url: gateway.url,
    apiKey: gateway.apiKey,
    apiKeyId: gateway.apiKeyId,
    restApiId: gateway.restApiId,
    functionName: gateway.functionName,
    logGroupName: gateway.logGroupName,
    functions: gateway.functions,
    accessLogGroupName: gateway.accessLogGroupName,
    routes: gateway.routes,
    authorization: authorizationOf(spec),
    userPoolId: gateway.userPool?.poolId,
    userPoolClientId: gateway.userPool?.clientId,
    issuerUrl: gateway.userPool?.issuerUrl,
    customUrl: gateway.customUrl,
    domainTarget: gateway.domainTarget,
    webAclArn: gateway.webAclArn,
    gateway,
    ...(own?.outputs ?? {}),
  } as DeployedApp & Partial<O>;
}

/**
 * Throws a RouteError when `resources().functions` names a group that is none of `known` (the descriptor's
 * groups, the groups the code names on any route the app can mount, `default`): a typo would leave the group without
 * the rights or variables meant for it, and nothing would say so.
 */
function checkResourceGroups(functions: Readonly<Record<string, unknown>> | undefined, known: readonly string[]): void {
  const names = new Set(known);
  const unknown = Object.keys(functions ?? {}).filter((g) => !names.has(g));
  if (unknown.length === 0) return;
  throw new RouteError(
    `resources().functions names ${unknown.map((g) => `"${g}"`).join(', ')}, which ${unknown.length > 1 ? 'are' : 'is'} no function group of the app (its groups: ${[...names].sort().join(', ')}). ` +
      `Fix: use a group's name, as the app descriptor's functions or the routes' function name it (docs/functions.md); \`pulumi preview\`/\`pulumi up\` refuse the program until then.`,
  );
}

/**
 * The Lambda code of each deployed group (`groups`), as infra/src/bundle/groups.ts bundles it (one bundle per distinct
 * entry). Returns one archive when every group shares the app's bundle, else an archive by group.
 * KOA_APIGATEWAY_BUNDLE_DIR moves the bundles out of dist/lambda (tests running the program use it so they never
 * rewrite the bundle other tests are reading). A bundle's user error rejects the code as a pulumi.RunError.
 */
function bundleGroups(app: LoadedApp, functions: GatewaySpec['functions']): pulumi.Input<pulumi.asset.Archive> | Record<string, pulumi.Input<pulumi.asset.Archive>> {
  const outDir = bundleDirFromEnv() ?? path.join(projectRoot(), 'dist', 'lambda');
  const groups = functions.map((f) => f.name);
  const routes = Object.fromEntries(functions.map((f) => [f.name, f.routes]));
  const bundles = bundleFunctionGroups({ app, groups: groups.length === 0 ? [DEFAULT_FUNCTION] : groups, outDir, routes });
  const archives = new Map<Promise<BundleResult>, Promise<pulumi.asset.AssetArchive>>();
  const archive = (bundle: Promise<BundleResult>) => {
    if (!archives.has(bundle)) {
      archives.set(
        bundle,
        bundle.then(
          ({ file }) =>
            new pulumi.asset.AssetArchive({
              'index.mjs': new pulumi.asset.FileAsset(file),
              'index.mjs.map': new pulumi.asset.FileAsset(`${file}.map`),
            }),
          (err: unknown) => {
            throw asRunError(err);
          },
        ),
      );
    }
    return archives.get(bundle)!;
  };
  const out = Object.fromEntries(Object.entries(bundles).map(([group, bundle]) => [group, archive(bundle)]));
  return archives.size === 1 ? Object.values(out)[0]! : out;
}
