import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { createHash } from 'node:crypto';
import { defineApi } from '../core/build-api';
import { routesOf, serializeDefinition } from '../core/definition';
import { checkUserPoolRegion, settingsWarnings, settingsWithDefaults, stageLogsToCloudWatch } from '../settings/parse';
import type { GatewaySettings, GatewaySettingsInput } from '../settings/types';
import { checkReservedPaths, createEdge } from './edge';
import { VisibleError } from '../errors';
import type { GatewaySpec } from '../core/plan/types';
import { binaryMediaTypesOf, binaryMediaTypeWarnings } from '../core/plan/binary';
import { checkUserPool } from '../core/definition/auth';
import {
  DEFAULT_FUNCTION,
  environmentBytes,
  FUNCTION_LIMITS,
  functionLimitProblems,
  RESERVED_VARIABLES,
  invokeScopeOf,
  invokeScopeWarning,
  invokeSourcePath,
  resolveFunction,
  rolePolicyCharacters,
  type ResolvedFunction,
} from '../core/plan/functions';
import { GATEWAY_TIMEOUT_SECONDS } from '../core/limits';
import { RouteError } from '../errors';
import { functionEnvironment } from './function-environment';
import { RESPONSE_TRANSFER_MODE_VARIABLE } from '../lambda/streaming';
import { asRunError, visibleAsRunError } from './run-error';
import { transform, type KoaGatewayTransforms } from './transform';
import { createUserPool, type UserPoolResources } from './user-pool';

export interface KoaGatewayArgs {
  /** What to deploy: the gateway spec of the app (`planApi(app, settings)`, or `buildGatewaySpec(createApp())`). */
  spec: GatewaySpec;
  /**
   * The Lambda code: an archive holding `index.mjs` (and its source map), for every function; or one archive per
   * function group (group → archive; every group of `spec.functions` must have one). Taken as an input so tests never bundle.
   */
  code: pulumi.Input<pulumi.asset.Archive> | Readonly<Record<string, pulumi.Input<pulumi.asset.Archive>>>;
  /**
   * Stage, throttling, quota, Lambda, logging, CORS, user pool and edge settings (`readPulumiSettings()` reads
   * them from the stack's config). Any field left out, or any field of `throttle`, `quota`, `lambda` and `waf`,
   * takes its key's default.
   * @default the default of every key in the key table (settings/keys.ts; docs/configuration.md lists them)
   */
  settings?: GatewaySettingsInput;
  /**
   * The Lambda handler.
   * @default `index.handler`
   */
  handler?: string;
  /**
   * Extra environment variables for every function.
   * @default none
   */
  environment?: Record<string, pulumi.Input<string>>;
  /**
   * What only some function groups get (group → its own): inline policies (name → JSON document) for that
   * group's role, over the shared `policies`, and environment variables, over the shared `environment` and the
   * descriptor's `functions.<group>.environment`. E.g. a table's read rights for `read`, write rights for `write`.
   * A group named here that the spec does not deploy is ignored.
   * @default none
   */
  functions?: Readonly<Record<string, FunctionResources>>;
  /**
   * The API's title: the deployed document's `info.title`, the same `koa-apigateway start` and `openapi` show
   * (the app descriptor's, as deployApp passes it), so local and deployed documents do not drift.
   * @default the component's name
   */
  title?: string;
  /**
   * The API's version: the deployed document's `info.version`.
   * @default `1.0.0`
   */
  version?: string;
  /**
   * Extra inline policies (name → JSON document) for every function's role, e.g. the storage table's; each function is created after them.
   * @default none
   */
  policies?: Record<string, pulumi.Input<string>>;
  /**
   * Adjusts how the component creates its child resources, without forking it (as SST's components do): for
   * each child, args merged over the component's, or a function `(args, opts, name) => void` that changes them
   * in place. E.g. `transform: { function: { tracingConfig: { mode: 'Active' } }, stage: (args) => { args.xrayTracingEnabled = true; } }`.
   * @default none: every child as the component makes it
   */
  transform?: KoaGatewayTransforms;
}

/** One function group's own resources' inputs (KoaGatewayArgs.functions). */
export interface FunctionResources {
  /** Inline policies (name → JSON document) for this group's role only. */
  policies?: Record<string, pulumi.Input<string>>;
  /** Environment variables for this group's function only. */
  environment?: Record<string, pulumi.Input<string>>;
}

/** One deployed function, as the `functions` output shows it. */
export interface FunctionOutput {
  functionName: pulumi.Output<string>;
  /** The routes it serves, `METHOD /path`, sorted. */
  routes: string[];
  /** MB. */
  memorySize: number;
  /** Seconds. */
  timeoutSeconds: number;
  /** Present for a group whose routes stream their responses (docs/streaming.md). */
  stream?: true;
}

/** A function group's children. */
interface GroupFunction {
  group: ResolvedFunction;
  fn: aws.lambda.Function;
  logGroup: aws.cloudwatch.LogGroup;
  role: aws.iam.Role;
}

/** JSON access log line: one line, `$context` variables only, with the request id API Gateway requires. */
export const ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: '$context.requestId',
  extendedRequestId: '$context.extendedRequestId',
  ip: '$context.identity.sourceIp',
  requestTime: '$context.requestTime',
  httpMethod: '$context.httpMethod',
  resourcePath: '$context.resourcePath',
  path: '$context.path',
  status: '$context.status',
  responseLength: '$context.responseLength',
  apiKeyId: '$context.identity.apiKeyId',
  integrationLatency: '$context.integrationLatency',
  responseLatency: '$context.responseLatency',
  errorType: '$context.error.responseType',
  error: '$context.error.message',
});

/** The id of the account's API Gateway settings (one per account and region), as the provider reads it. */
export const ACCOUNT_SETTINGS_ID = 'api-gateway-account';

/** The component's Pulumi type token: its resources' URNs carry it as their parent type. */
export const KOA_GATEWAY_TYPE = 'koa-apigateway:gateway:KoaGateway';

/** How the account's CloudWatch role was settled: already set, created by this stack, or not needed (stage logs off). */
export type AccountLogging = 'existing' | 'created' | 'not needed';

/**
 * A Koa service behind API Gateway (REST): one Lambda function per function group (one, `default`, unless the
 * app's descriptor or code names groups: docs/functions.md), and a REST API whose whole
 * definition (routes, models, validators, key requirement, gateway responses, CORS preflights) is
 * ONE OpenAPI document in the RestApi's `body`, imported in put mode `overwrite`; a Deployment
 * triggered by that document's hash; then the stage, its settings, the key and usage plan, logs.
 * No per-route API Gateway resource: a route added, removed or renamed changes one document.
 */
export class KoaGateway extends pulumi.ComponentResource {
  /** The stage's invoke URL, e.g. `https://abc123.execute-api.us-east-1.amazonaws.com/dev`. */
  readonly url: pulumi.Output<string>;
  /** The API key's value, as a secret. */
  readonly apiKey: pulumi.Output<string>;
  readonly apiKeyId: pulumi.Output<string>;
  readonly restApiId: pulumi.Output<string>;
  /** The `default` group's function's name (else the first group's). */
  readonly functionName: pulumi.Output<string>;
  /** That function's log group. */
  readonly logGroupName: pulumi.Output<string>;
  /** Every function by group: its name, routes, memory and timeout (`pulumi stack output functions`). */
  readonly functions: Record<string, FunctionOutput>;
  /** The stage's access log group; undefined with `accessLogs: false`. */
  readonly accessLogGroupName: pulumi.Output<string> | undefined;
  /** The deployed routes, `METHOD /path`, sorted: what `pulumi stack output routes` shows. */
  readonly routes: string[];
  /** The RestApi's body: the API definition as canonical JSON, the function's invoke ARN in it. */
  readonly body: pulumi.Output<string>;
  /** The Deployment's trigger: sha256 of `body`; changes exactly when the deployed definition changes. */
  readonly deploymentHash: pulumi.Output<string>;
  /** How the account's CloudWatch role was settled (manageCloudWatchRole); rejects when it is missing and may not be created. */
  readonly accountLogging: pulumi.Output<AccountLogging>;
  /** The user pool of user-pool routes (pool id, app client id, issuer URL); undefined without `userPool` (docs/auth.md). */
  readonly userPool: UserPoolResources | undefined;
  /** `https://<domainName>[/<basePath>]` with a custom domain (infra/src/pulumi/edge.ts); else undefined. */
  readonly customUrl: pulumi.Output<string> | undefined;
  /** Where the domain's DNS record points (its regional API Gateway host) when this stack creates the domain. */
  readonly domainTarget: pulumi.Output<string> | undefined;
  /** The WAF web ACL's ARN with `waf: true`; else undefined. */
  readonly webAclArn: pulumi.Output<string> | undefined;

  readonly api: aws.apigateway.RestApi;
  /** The `default` group's function (else the first group's); every function is in {@link fns}. */
  readonly fn: aws.lambda.Function;
  /** Every function, by group. */
  readonly fns: Record<string, aws.lambda.Function>;
  readonly stage: aws.apigateway.Stage;
  readonly key: aws.apigateway.ApiKey;
  readonly usagePlanKey: aws.apigateway.UsagePlanKey;
  /** The user's adjustments of the children (KoaGatewayArgs.transform). */
  private readonly transforms: KoaGatewayTransforms;

  /**
   * Creates the children. A user error (a route needing a user pool the stack lacks, a setting that cannot
   * work: VisibleErrors) is thrown as a pulumi.RunError, its `cause` the original, so `pulumi up` prints its
   * message without a stack (./run-error.ts); so is one raised once a value resolves (the account's CloudWatch role).
   */
  constructor(name: string, args: KoaGatewayArgs, opts?: pulumi.ComponentResourceOptions) {
    super(KOA_GATEWAY_TYPE, name, {}, opts);
    try {
      const { spec } = args;
      const settings = settingsWithDefaults(args.settings);
      this.transforms = args.transform ?? {};
      this.warnAboutSettings(settings);
      // /ping and /sping are the gateway's own on a custom domain: refused behind one, a warning otherwise (./edge.ts).
      for (const warning of checkReservedPaths(spec.methods, settings.domain)) pulumi.log.warn(warning, this);
      // A binary media type covering JSON changes every route (docs/binary.md).
      for (const warning of binaryMediaTypeWarnings(spec.methods, settings.binaryMediaTypes, `${pulumi.getProject()}:binaryMediaTypes`)) pulumi.log.warn(warning, this);
      this.routes = routesOf(spec);
      // The definition built once now, before any resource, with placeholder ARNs (the ARNs change no structure): what
      // the import would warn about (and failOnWarnings turn into a failed `pulumi up`) fails `pulumi preview` here,
      // naming the route, while the function's ARN is still unknown (infra/src/core/definition/import-check.ts).
      defineApi(spec, { title: args.title ?? name, version: args.version }, settings);

      this.userPool = this.createUserPool(name, spec, settings);
      const groups = this.resolveGroups(spec, settings);
      // Every function is told the API's binary media types (the definition's), to send those responses base64-encoded.
      const binaryMediaTypes = binaryMediaTypesOf(spec, settings.binaryMediaTypes);
      const created = groups.map((group) => this.createFunction(name, group, args, settings, this.userPool, binaryMediaTypes));
      const main = created.find((c) => c.group.name === DEFAULT_FUNCTION) ?? created[0]!;
      this.fn = main.fn;
      this.fns = Object.fromEntries(created.map((c) => [c.group.name, c.fn]));
      this.functions = Object.fromEntries(
        created.map((c) => [
          c.group.name,
          { functionName: c.fn.name, routes: c.group.routes, memorySize: c.group.memorySize, timeoutSeconds: c.group.timeoutSeconds, ...(c.group.stream ? { stream: true as const } : {}) },
        ]),
      );
      const definition = this.createDefinition(spec, settings, created, this.userPool, { title: args.title ?? name, version: args.version });
      this.body = definition.body;
      this.deploymentHash = definition.deploymentHash;
      this.api = this.createApi(name, definition.body);
      const permissions = created.flatMap((c) => this.createPermissions(name, c, spec, this.api, created.length === 1));
      const deployment = this.createDeployment(name, this.api, definition.deploymentHash);
      const account = this.createAccountLogging(name, settings);
      this.accountLogging = account.settled;
      const logs = this.createStageLogGroups(name, settings, this.api);
      this.stage = this.createStage(name, settings, this.api, deployment, logs, permissions, account.resources);
      this.createMethodSettings(name, settings, this.stage, account.resources);
      const usage = this.createUsagePlan(name, settings, this.stage);
      this.key = usage.key;
      this.usagePlanKey = usage.usagePlanKey;
      const edge = this.createEdge(name, settings, this.api, this.stage, spec.methods);
      this.customUrl = edge.customUrl;
      this.domainTarget = edge.domainTarget;
      this.webAclArn = edge.webAclArn;

      this.url = this.stage.invokeUrl;
      this.apiKey = pulumi.secret(usage.key.value);
      this.apiKeyId = usage.key.id;
      this.restApiId = this.api.id;
      this.functionName = main.fn.name;
      this.logGroupName = main.logGroup.name;
      this.accessLogGroupName = logs.access?.name;
    } catch (err) {
      throw asRunError(err);
    }
    this.publishOutputs();
  }

  /** Settings that deploy but do not do what they seem to (e.g. data trace with logging off): `pulumi preview` warns. */
  private warnAboutSettings(settings: GatewaySettings): void {
    for (const warning of settingsWarnings(settings, pulumi.getProject())) pulumi.log.warn(warning, this);
  }

  /**
   * The API definition: the whole OpenAPI document of the routes (with each group's function's invoke ARN and the
   * user pool's ARN in it) as canonical JSON, the RestApi's `body`; and its sha256, the Deployment's trigger.
   * `info`: the document's title and version (the descriptor's).
   */
  private createDefinition(
    spec: GatewaySpec,
    settings: GatewaySettings,
    functions: readonly GroupFunction[],
    userPool: UserPoolResources | undefined,
    info: { title: string; version: string | undefined },
  ): { body: pulumi.Output<string>; deploymentHash: pulumi.Output<string> } {
    const invokeArns = pulumi.all(Object.fromEntries(functions.map((f) => [f.group.name, f.fn.invokeArn])));
    const body = pulumi
      .all([invokeArns, userPool?.arn])
      // The chain every document comes from (core/build-api.ts), with the deployed ARNs: each group's methods on its function.
      .apply(([arns, userPoolArn]) => visibleAsRunError(() => serializeDefinition(defineApi(spec, info, settings, { invokeArns: arns, ...(userPoolArn ? { userPoolArn } : {}) }))));
    return { body, deploymentHash: body.apply((text) => createHash('sha256').update(text).digest('hex')) };
  }

  /** The custom domain and the WAF web ACL, when configured (infra/src/pulumi/edge.ts); outputs undefined otherwise. */
  private createEdge(name: string, settings: GatewaySettings, api: aws.apigateway.RestApi, stage: aws.apigateway.Stage, methods: GatewaySpec['methods']) {
    return createEdge(this, name, settings, { api, stage, methods }, this.transforms);
  }

  /** Registers the component's outputs: what `pulumi stack output` and the stack's program read. */
  private publishOutputs(): void {
    this.registerOutputs({
      url: this.url,
      apiKey: this.apiKey,
      apiKeyId: this.apiKeyId,
      restApiId: this.restApiId,
      functionName: this.functionName,
      logGroupName: this.logGroupName,
      functions: this.functions,
      accessLogGroupName: this.accessLogGroupName,
      routes: this.routes,
      accountLogging: this.accountLogging,
      userPoolId: this.userPool?.poolId,
      userPoolClientId: this.userPool?.clientId,
      issuerUrl: this.userPool?.issuerUrl,
      customUrl: this.customUrl,
      domainTarget: this.domainTarget,
      webAclArn: this.webAclArn,
    });
  }

  /**
   * The user pool of user-pool routes (infra/src/pulumi/user-pool.ts). Checked first, at preview: routes that
   * need a token without a configured pool fail here, naming the routes and the fix, and so does an
   * existing pool outside the stack's region (checkUserPoolRegion).
   */
  private createUserPool(name: string, spec: GatewaySpec, settings: GatewaySettings): UserPoolResources | undefined {
    checkUserPool(spec, settings.userPool !== undefined);
    // The provider's region (aws:region, else AWS_REGION): an existing pool elsewhere fails the preview.
    checkUserPoolRegion(settings.userPool, aws.config.region, pulumi.getProject());
    return settings.userPool ? createUserPool(name, settings.userPool, spec, this, this.transforms) : undefined;
  }

  /**
   * The function groups to deploy (spec.functions with the stack's defaults: resolveFunction), checked against
   * Lambda's quotas known at preview (core/plan/functions.ts functionLimitProblems: RouteError naming the group and
   * the fix); a timeout over API Gateway's 29 s is a warning, as for the stack's `lambdaTimeout`. A spec without
   * routes keeps the one `default` function, so the outputs have a function to name.
   */
  private resolveGroups(spec: GatewaySpec, settings: GatewaySettings): ResolvedFunction[] {
    const planned = spec.functions && spec.functions.length > 0 ? spec.functions : [{ name: DEFAULT_FUNCTION, routes: routesOf(spec) }];
    const groups = planned.map((f) => resolveFunction(f, settings));
    const problems = functionLimitProblems(groups);
    if (problems.length > 0) throw new RouteError(`${problems.join(' ')} \`pulumi preview\`/\`pulumi up\` refuse the functions until then.`);
    for (const g of groups) {
      const wide = groups.length > 1 ? invokeScopeWarning(g.name, g.routes) : undefined;
      if (wide) pulumi.log.warn(wide, this);
      // A streamed group's integrations wait up to 15 minutes (docs/apigateway-behaviour.md §15.7): no 29 s to pass.
      if (!g.stream && g.timeoutSeconds > GATEWAY_TIMEOUT_SECONDS && g.timeoutSeconds !== settings.lambda.timeoutSeconds) {
        pulumi.log.warn(
          `Function group "${g.name}": timeoutSeconds is ${g.timeoutSeconds} s but API Gateway stops waiting after ${GATEWAY_TIMEOUT_SECONDS} s (504): the function keeps running and billing. Fix: set functions.${g.name}.timeoutSeconds to ${GATEWAY_TIMEOUT_SECONDS} or less.`,
          this,
        );
      }
    }
    return groups;
  }

  /**
   * One group's function, its log group (explicit, with retention) and a role that may only write to it, plus the
   * shared policies and the group's own (KoaGatewayArgs.functions). The `default` group's resources keep the names a
   * single-function stack always had (`<name>-fn`, `<name>-fn-role`, ...); another group's are `<name>-<group>-fn`, ...
   * Refused when known (at preview for plain values, else at `pulumi up`): an environment over Lambda's 4 KB, inline
   * policies over IAM's 10,240 characters per role (FUNCTION_LIMITS, with their sources).
   */
  private createFunction(
    name: string,
    group: ResolvedFunction,
    args: KoaGatewayArgs,
    settings: GatewaySettings,
    userPool: UserPoolResources | undefined,
    binaryMediaTypes: readonly string[],
  ): GroupFunction {
    const t = this.transforms;
    const prefix = group.name === DEFAULT_FUNCTION ? name : `${name}-${group.name}`;
    const own = args.functions?.[group.name];
    const documents = { ...(args.policies ?? {}), ...(own?.policies ?? {}) };
    const sharedVariables: Record<string, pulumi.Input<string>> = {
      ...functionEnvironment(settings, binaryMediaTypes),
      ...(userPool ? { USER_POOL_ID: userPool.poolId } : {}),
      ...args.environment,
      ...group.environment,
      ...(own?.environment ?? {}),
      // A streamed group's function (docs/streaming.md): lambdaHandler returns the streaming handler (awslambda.streamifyResponse).
      ...(group.stream ? { [RESPONSE_TRANSFER_MODE_VARIABLE]: 'STREAM' } : {}),
    };
    // What is known now is refused now (`pulumi preview`); values known only once deployed are checked when they resolve.
    this.checkFunctionSizes(group.name, plainValues(sharedVariables), Object.values(plainValues(documents)), LOGS_POLICY_CHARACTERS, Object.keys(sharedVariables));
    const logGroup = new aws.cloudwatch.LogGroup(
      ...transform(t.logGroup, `${prefix}-fn-logs`, { namePrefix: `/aws/lambda/${prefix}-`, retentionInDays: settings.logRetentionDays }, { parent: this }),
    );
    const role = new aws.iam.Role(
      ...transform(
        t.role,
        `${prefix}-fn-role`,
        {
          description: `Runs the ${prefix} function: writes its own logs, plus only what the policies given to the component grant${group.name === DEFAULT_FUNCTION ? '' : ` (to every function, and to the ${group.name} group)`}.`,
          assumeRolePolicy: JSON.stringify({
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
          }),
        },
        { parent: this },
      ),
    );
    const logsDocument = logGroup.arn.apply((arn) =>
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: [arn, `${arn}:*`] }],
      }),
    );
    // IAM refuses a role whose inline policies together pass 10,240 characters (whitespace not counted): checked once all are known.
    const checked = pulumi.all([logsDocument, pulumi.all(documents)]).apply(([logs, extra]) =>
      visibleAsRunError(() => {
        this.checkFunctionSizes(group.name, {}, [logs, ...Object.values(extra)], 0);
        return true;
      }),
    );
    // Basic execution rights, scoped to the function's own log group rather than every log group.
    const policy = new aws.iam.RolePolicy(`${prefix}-fn-logs-policy`, { role: role.id, policy: pulumi.all([logsDocument, checked]).apply(([doc]) => doc) }, { parent: this });
    const extraPolicies = Object.entries(documents).map(
      ([policyName, document]) => new aws.iam.RolePolicy(`${prefix}-fn-${policyName}-policy`, { role: role.id, policy: pulumi.all([document, checked]).apply(([doc]) => doc) }, { parent: this }),
    );
    // The same variables `npm run bench` runs the bundle with (function-environment.ts), plus the pool's id (the app
    // mounts its token routes when a pool is configured: the descriptor's createApp({ userPool })), then the shared
    // variables, the descriptor's for this group, and the group's own resources'.
    const variables = pulumi.all(sharedVariables).apply((values) =>
      visibleAsRunError(() => {
        this.checkFunctionSizes(group.name, values as Record<string, string>, [], 0);
        return values as Record<string, string>;
      }),
    );
    const fn = new aws.lambda.Function(
      ...transform<aws.lambda.FunctionArgs>(
        t.function,
        `${prefix}-fn`,
        {
          description: group.description ?? (group.name === DEFAULT_FUNCTION ? `${name}: the Koa service behind API Gateway` : `${name}: the ${group.name} routes of the Koa service behind API Gateway`),
          code: this.codeOf(args.code, group.name),
          handler: args.handler ?? 'index.handler',
          runtime: settings.lambda.runtime,
          architectures: [group.architecture],
          memorySize: group.memorySize,
          timeout: group.timeoutSeconds,
          ...(group.reservedConcurrency !== undefined ? { reservedConcurrentExecutions: group.reservedConcurrency } : {}),
          role: role.arn,
          loggingConfig: { logFormat: 'Text', logGroup: logGroup.name },
          environment: { variables },
        },
        { parent: this, dependsOn: [policy, ...extraPolicies] },
      ),
    );
    return { group, fn, logGroup, role };
  }

  /**
   * Throws RouteError, naming the group and the fix, when `names` (default: those of `variables`) hold a variable Lambda
   * reserves (RESERVED_VARIABLES), when `variables` pass Lambda's 4 KB of environment per function
   * or `policies` (plus `moreCharacters`) IAM's 10,240 characters of inline policies per role (FUNCTION_LIMITS).
   */
  private checkFunctionSizes(group: string, variables: Readonly<Record<string, string>>, policies: readonly string[], moreCharacters: number, names: readonly string[] = Object.keys(variables)): void {
    const reserved = names.filter((name) => RESERVED_VARIABLES.has(name));
    if (reserved.length > 0) {
      throw new RouteError(
        `Function group "${group}": its environment sets ${reserved.join(', ')}, which Lambda reserves: it sets ${reserved.length > 1 ? 'them' : 'it'} itself and refuses a function that does (Lambda developer guide, "Defined runtime environment variables"). ` +
          'Fix: give the variable another name (KoaGatewayArgs.functions / AppResources.functions environment, or the descriptor\'s functions.<group>.environment); `pulumi preview`/`pulumi up` refuse the function until then.',
      );
    }
    const bytes = environmentBytes(variables);
    if (bytes > FUNCTION_LIMITS.environmentBytes) {
      throw new RouteError(
        `Function group "${group}": its environment variables make ${bytes} bytes, over Lambda's 4 KB for all of a function's variables together (Lambda quotas, "Environment variables"). ` +
          'Fix: give this group only the variables its routes read (functions.<group>.environment, KoaGatewayArgs.functions), or keep large values elsewhere (SSM Parameter Store) and read them at start; `pulumi preview`/`pulumi up` refuse the function until then.',
      );
    }
    const characters = rolePolicyCharacters(policies) + moreCharacters;
    if (characters > FUNCTION_LIMITS.rolePolicyCharacters) {
      throw new RouteError(
        `Function group "${group}": its role's inline policies make ${characters} characters, over IAM's ${FUNCTION_LIMITS.rolePolicyCharacters} per role (IAM quotas, "Role policy size", whitespace not counted). ` +
          'Fix: give this group only the policies its routes need (KoaGatewayArgs.functions / AppResources.functions instead of the shared policies), or split the group; `pulumi preview`/`pulumi up` refuse the role until then.',
      );
    }
  }

  /** The archive of `group`: the one archive, or the group's own (KoaGatewayArgs.code by group); a group without one is refused. */
  private codeOf(code: KoaGatewayArgs['code'], group: string): pulumi.Input<pulumi.asset.Archive> {
    if (!isArchiveRecord(code)) return code;
    const own = code[group];
    if (own === undefined) {
      throw new RouteError(`Function group "${group}" has no code: KoaGatewayArgs.code names ${Object.keys(code).join(', ') || 'no group'}. Fix: give every group of spec.functions an archive, or give one archive for all.`);
    }
    return own;
  }

  /**
   * The REST API, defined entirely by its `body`. Put mode `overwrite` replaces the whole definition
   * at each update, so a removed route, a renamed path variable or CORS turned off leaves nothing
   * behind (the provider's RestApi docs: "body" and "putRestApiMode"). `apiKeySource` and the endpoint
   * type are also resource arguments, which win over the document's extensions. `binaryMediaTypes` is NOT an
   * argument: the document's `x-amazon-apigateway-binary-media-types` sets them (docs/binary.md); the provider lets an
   * argument that differs from the document's extension override it (its RestApi docs, "binary_media_types"), so
   * giving both could deploy types the functions (told the document's, BINARY_MEDIA_TYPES) do not send as base64.
   */
  private createApi(name: string, body: pulumi.Output<string>): aws.apigateway.RestApi {
    return new aws.apigateway.RestApi(
      ...transform(
        this.transforms.api,
        `${name}-api`,
        {
          description: `${name}: routes of the Koa service`,
          body,
          putRestApiMode: 'overwrite',
          // A warning rolls the import back instead of leaving out, in silence, what API Gateway could not take:
          // the provider never shows the warnings (hashicorp/terraform-provider-aws#22674, #17971; AWS "Errors and
          // warnings from importing your API into API Gateway"). What is known to warn is refused at plan time, so a
          // clean preview means a clean import (infra/src/core/definition/import-check.ts, docs/apigateway-behaviour.md §14).
          failOnWarnings: true,
          apiKeySource: 'HEADER',
          endpointConfiguration: { types: 'REGIONAL' },
        },
        { parent: this },
      ),
    );
  }

  /**
   * Only this API may invoke the function. A single function: one permission for any stage, method and path
   * (`<name>-invoke`, `${executionArn}/*\/*`). Several: each function only for its own group's methods, one
   * permission per method (`<prefix>-invoke-<method key>`), its source ARN the method and its path with every
   * variable as `*` (invokeSourcePath): a function cannot be invoked through another group's routes. A group too large
   * for that in Lambda's 20 KB resource-based policy gets one permission per HTTP method for any path
   * (`<prefix>-invoke-method-<METHOD>`, `/*\/<METHOD>/*`: invokeScopeOf), with a warning at preview.
   */
  private createPermissions(name: string, created: GroupFunction, spec: GatewaySpec, api: aws.apigateway.RestApi, single: boolean): aws.lambda.Permission[] {
    const prefix = created.group.name === DEFAULT_FUNCTION ? name : `${name}-${created.group.name}`;
    // The single function's permission keeps the provider's generated statement id (existing stacks replace nothing);
    // the scoped ones name theirs (statementIdOf), which the provider would build from the resource name plus 7
    // characters and refuse past Lambda's 100.
    const permission = (resourceName: string, sourcePath: string, named = true) =>
      new aws.lambda.Permission(
        ...transform(
          this.transforms.permission,
          resourceName,
          {
            action: 'lambda:InvokeFunction',
            function: created.fn.name,
            principal: 'apigateway.amazonaws.com',
            sourceArn: pulumi.interpolate`${api.executionArn}${sourcePath}`,
            ...(named ? { statementId: statementIdOf(resourceName) } : {}),
          },
          { parent: this },
        ),
      );
    if (single) return [permission(`${prefix}-invoke`, '/*/*', false)];
    const { scope, methods } = invokeScopeOf(created.group.routes);
    // Too many routes for one statement each in Lambda's 20 KB policy: one per method, for any path (a warning says so).
    if (scope === 'method') return methods.map((method) => permission(`${prefix}-invoke-method-${method}`, `/*/${method}/*`));
    return spec.methods.filter((m) => (m.function ?? DEFAULT_FUNCTION) === created.group.name).map((m) => permission(`${prefix}-invoke-${m.key}`, invokeSourcePath(m.method, m.resourcePath)));
  }

  /**
   * A snapshot of the imported definition. Its trigger is the hash of the whole body, the function's
   * invoke ARN included: a changed route, schema, CORS setting, or a replaced function makes a new
   * Deployment (replace: created, the stage moved to it, then the old one deleted).
   */
  private createDeployment(name: string, api: aws.apigateway.RestApi, deploymentHash: pulumi.Output<string>): aws.apigateway.Deployment {
    return new aws.apigateway.Deployment(
      ...transform(
        this.transforms.deployment,
        `${name}-deployment`,
        {
          restApi: api.id,
          description: pulumi.interpolate`definition ${deploymentHash.apply((h) => h.slice(0, 12))}`,
          triggers: { redeployment: deploymentHash },
        },
        // After the body's import: the snapshot must hold the new definition.
        { parent: this, dependsOn: [api] },
      ),
    );
  }

  /**
   * Stage logs (execution or access) need the account-level (per region) CloudWatch role, one
   * setting shared by every REST API in the region. The setting is read through the provider (a
   * resource read, done at preview too). `auto` creates the role and the setting only where none is
   * set, or where this stack's own role is; `true` sets this stack's role whatever is set; `false` never
   * does, and a missing role then fails with the fix. Created ones are retained on `pulumi destroy`: the
   * Terraform provider (v6+) resets the setting on delete (hashicorp/terraform-provider-aws#42226), which
   * would cut every other API's logs.
   *
   * A role this stack created is reused, never doubled: where the setting names it (cloudWatchRolePrefix), the
   * stack declares that very role, adopted by its name (Pulumi's `import` option: imported when the state lacks
   * it, as after a `pulumi destroy` that kept the role and the setting; an ordinary resource when the state holds
   * it). Without this, the next `pulumi up` after a destroy created a second role beside the kept one.
   */
  private createAccountLogging(name: string, settings: GatewaySettings): { resources: pulumi.Input<pulumi.Resource[]>; settled: pulumi.Output<AccountLogging> } {
    if (!stageLogsToCloudWatch(settings)) return { resources: [], settled: pulumi.output('not needed' as const) };
    if (settings.manageCloudWatchRole === true) {
      pulumi.log.warn(
        "manageCloudWatchRole is true: this stack sets API Gateway's account-wide CloudWatch role for this region, replacing any role set before, and keeps it on pulumi destroy. " +
          'Use auto (the default) to create it only where none is set.',
        this,
      );
    }
    const current = aws.apigateway.Account.get(`${name}-account-settings`, ACCOUNT_SETTINGS_ID, undefined, { parent: this });
    const decided = current.cloudwatchRoleArn.apply((arn): { resources: pulumi.Resource[]; settled: AccountLogging } => {
      // The role this stack created (on an earlier `pulumi up`, or before a destroy that kept it): declared again, adopted.
      const own = arn && isOwnCloudWatchRole(arn, name) ? roleNameOf(arn) : undefined;
      if (settings.manageCloudWatchRole === true) return { resources: this.createCloudWatchRole(name, own), settled: 'created' };
      if (own && settings.manageCloudWatchRole === 'auto') return { resources: this.createCloudWatchRole(name, own), settled: 'created' };
      if (arn) return { resources: [], settled: 'existing' };
      if (settings.manageCloudWatchRole === false) {
        // Raised once the read resolves, after the constructor returned: a RunError itself (./run-error.ts).
        throw asRunError(
          new VisibleError(
            `This region's API Gateway account settings have no CloudWatch role, and the stage's logs need one (loggingLevel ${settings.loggingLevel}, accessLogs ${settings.accessLogs}): ` +
              '`pulumi up` would fail with "CloudWatch Logs role ARN must be set in account settings to enable logging". ' +
              'Fix: pulumi config set manageCloudWatchRole auto (creates and keeps the role), or set the role in the account, or turn stage logs off: pulumi config set loggingLevel OFF and pulumi config set accessLogs false.',
          ),
        );
      }
      return { resources: this.createCloudWatchRole(name, undefined), settled: 'created' };
    });
    return { resources: decided.apply((d) => d.resources), settled: decided.apply((d) => d.settled) };
  }

  /**
   * The role API Gateway writes logs with, and the account setting pointing at it; all retained on destroy.
   * `kept`: the name of this stack's existing role (the one the account's setting names), adopted instead of
   * creating another. The policy attachment and the setting need no adoption: attaching a policy again and
   * setting the account again (UpdateAccount) succeed where they are already so.
   */
  private createCloudWatchRole(name: string, kept: string | undefined): pulumi.Resource[] {
    const keep = { parent: this, retainOnDelete: true };
    const role = new aws.iam.Role(
      `${name}-apigw-cloudwatch-role`,
      {
        // A name this stack recognises when it reads the account's setting back (createAccountLogging).
        namePrefix: cloudWatchRolePrefix(name),
        description: 'Lets API Gateway write execution and access logs for this account and region (kept on destroy: other APIs rely on it).',
        assumeRolePolicy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { Service: 'apigateway.amazonaws.com' }, Action: 'sts:AssumeRole' }],
        }),
      },
      // Adopted by its name (an IAM role's id): the import's inputs must match the role as it is, and an older
      // description or trust policy should not block the adoption, so those two are left as they are.
      kept ? { ...keep, import: kept, ignoreChanges: ['description', 'assumeRolePolicy'] } : keep,
    );
    const attachment = new aws.iam.RolePolicyAttachment(
      `${name}-apigw-cloudwatch-policy`,
      { role: role.name, policyArn: 'arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs' },
      keep,
    );
    return [new aws.apigateway.Account(`${name}-account`, { cloudwatchRoleArn: role.arn }, { ...keep, dependsOn: [attachment] })];
  }

  /** Access logs (when on), and the execution log group API Gateway would otherwise create without retention. */
  private createStageLogGroups(name: string, settings: GatewaySettings, api: aws.apigateway.RestApi) {
    const t = this.transforms;
    const access = settings.accessLogs
      ? new aws.cloudwatch.LogGroup(
          ...transform(t.accessLog, `${name}-access-logs`, { namePrefix: `/aws/apigateway/${name}-access-`, retentionInDays: settings.logRetentionDays }, { parent: this }),
        )
      : undefined;
    const execution = new aws.cloudwatch.LogGroup(
      ...transform(
        t.executionLog,
        `${name}-execution-logs`,
        { name: pulumi.interpolate`API-Gateway-Execution-Logs_${api.id}/${settings.stageName}`, retentionInDays: settings.logRetentionDays },
        { parent: this },
      ),
    );
    return { access, execution };
  }

  /**
   * The stage (`settings.stageName`) on the deployment, with the JSON access log when on. Created after the
   * invoke permission, the execution log group (so API Gateway does not create one without retention) and
   * the account's CloudWatch role when stage logs need it.
   */
  private createStage(
    name: string,
    settings: GatewaySettings,
    api: aws.apigateway.RestApi,
    deployment: aws.apigateway.Deployment,
    logs: { access?: aws.cloudwatch.LogGroup; execution: aws.cloudwatch.LogGroup },
    before: pulumi.Resource[],
    account: pulumi.Input<pulumi.Resource[]>,
  ): aws.apigateway.Stage {
    return new aws.apigateway.Stage(
      ...transform<aws.apigateway.StageArgs>(
        this.transforms.stage,
        `${name}-stage`,
        {
          restApi: api.id,
          deployment: deployment.id,
          stageName: settings.stageName,
          ...(logs.access ? { accessLogSettings: { destinationArn: logs.access.arn, format: ACCESS_LOG_FORMAT } } : {}),
        },
        { parent: this, dependsOn: pulumi.output(account).apply((a) => [...before, logs.execution, ...a]) },
      ),
    );
  }

  /**
   * Every method (`*\/*`): metrics, execution logging, data trace and the stage throttle. The stage throttle is
   * the stage's own numbers (`stageRateLimit`, `stageBurstLimit`: all clients together), not the usage plan's
   * per-key ones: API Gateway applies the per-client (usage plan) limits and the per-stage method limits as two
   * levels ("Throttle requests to your REST APIs", docs/apigateway-behaviour.md §3.10), so the plan's numbers here
   * held every key together to one key's budget.
   */
  private createMethodSettings(name: string, settings: GatewaySettings, stage: aws.apigateway.Stage, account: pulumi.Input<pulumi.Resource[]>): aws.apigateway.MethodSettings {
    return new aws.apigateway.MethodSettings(
      ...transform(
        this.transforms.methodSettings,
        `${name}-method-settings`,
        {
          restApi: stage.restApi,
          stageName: stage.stageName,
          methodPath: '*/*',
          settings: {
            metricsEnabled: settings.metricsEnabled,
            loggingLevel: settings.loggingLevel,
            dataTraceEnabled: settings.dataTraceEnabled,
            throttlingRateLimit: settings.stageThrottle.rateLimit,
            throttlingBurstLimit: settings.stageThrottle.burstLimit,
          },
        },
        { parent: this, dependsOn: account },
      ),
    );
  }

  /**
   * The API key and a usage plan (throttle + quota) on this stage. The key's `value` is an output of
   * both the ApiKey and the UsagePlanKey; the provider does not mark the latter secret, so both are
   * declared secret here (additionalSecretOutputs) and the state holds them encrypted.
   */
  private createUsagePlan(name: string, settings: GatewaySettings, stage: aws.apigateway.Stage) {
    const t = this.transforms;
    const key = new aws.apigateway.ApiKey(
      ...transform(t.apiKey, `${name}-key`, { description: `${name} clients`, enabled: true }, { parent: this, additionalSecretOutputs: ['value'] }),
    );
    const plan = new aws.apigateway.UsagePlan(
      ...transform(
        t.usagePlan,
        `${name}-usage-plan`,
        {
          description: `${settings.throttle.rateLimit} req/s, burst ${settings.throttle.burstLimit}, ${settings.quota.limit} per ${settings.quota.period}`,
          apiStages: [{ apiId: stage.restApi, stage: stage.stageName }],
          throttleSettings: { rateLimit: settings.throttle.rateLimit, burstLimit: settings.throttle.burstLimit },
          quotaSettings: { limit: settings.quota.limit, period: settings.quota.period },
        },
        { parent: this },
      ),
    );
    const usagePlanKey = new aws.apigateway.UsagePlanKey(
      ...transform(t.usagePlanKey, `${name}-usage-plan-key`, { keyId: key.id, keyType: 'API_KEY', usagePlanId: plan.id }, { parent: this, additionalSecretOutputs: ['value'] }),
    );
    return { key, usagePlanKey };
  }
}

/** At most the characters of a function's own logs policy (its log group's ARN in it), counted before the ARN is known. */
const LOGS_POLICY_CHARACTERS = 400;

/** The entries of `values` already known (plain strings), for the checks a preview can make. */
function plainValues(values: Readonly<Record<string, pulumi.Input<string>>>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

/** True when `code` is archives by group rather than one archive (an Archive, an Output or a Promise of one). */
function isArchiveRecord(code: KoaGatewayArgs['code']): code is Readonly<Record<string, pulumi.Input<pulumi.asset.Archive>>> {
  return (
    code !== null &&
    typeof code === 'object' &&
    !pulumi.asset.Archive.isInstance(code) &&
    !pulumi.Output.isInstance(code) &&
    typeof (code as { then?: unknown }).then !== 'function'
  );
}

/** True when `arn` (the account's CloudWatch role setting) names a role this stack created (cloudWatchRolePrefix). */
export function isOwnCloudWatchRole(arn: string, name: string): boolean {
  return roleNameOf(arn).startsWith(cloudWatchRolePrefix(name));
}

/** The role's name in its ARN, `arn:aws:iam::ACCOUNT:role[/path]/NAME` → NAME (an IAM role's id is its name). */
function roleNameOf(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

/**
 * The name prefix of the CloudWatch role this stack creates: project, stack and component, so the
 * stack knows its own role in the account's setting (IAM allows a 38-character prefix).
 */
export function cloudWatchRolePrefix(name: string): string {
  const prefix = `apigw-logs-${pulumi.getProject()}-${pulumi.getStack()}-${name}`.replace(/[^\w+=,.@-]/g, '-');
  const hash = createHash('sha256').update(prefix).digest('hex').slice(0, 6);
  return prefix.length <= 37 ? `${prefix}-` : `${prefix.slice(0, 30)}-${hash}-`;
}

/**
 * The statement id of a scoped invoke permission: its resource name when Lambda accepts it (letters, digits, `-`
 * and `_`, at most 100 characters: Lambda API reference, AddPermission "StatementId"), else its first 91 characters,
 * `-` and 8 hex digits of the name's sha256, so a long route path still gets a unique, stable id.
 */
export function statementIdOf(resourceName: string): string {
  const clean = resourceName.replace(/[^A-Za-z0-9_-]/g, '_');
  if (clean.length <= 100 && clean === resourceName) return clean;
  return `${clean.slice(0, 91)}-${createHash('sha256').update(resourceName).digest('hex').slice(0, 8)}`;
}
