import { readFileSync, existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { VisibleError } from '../errors';
import { loadApp } from '../app/load';
import { projectRoot } from '../project';

/**
 * The deployment's settings: one typed object read from Pulumi config by the Pulumi program and
 * from Pulumi.yaml + Pulumi.<stack>.yaml by the local emulator, so both behave alike.
 * The gateway's defaults and descriptions live in Pulumi.yaml, the app's in its descriptor (infra/src/app/load.ts
 * `settings`); parsing and checks live here.
 */
export type QuotaPeriod = 'DAY' | 'WEEK' | 'MONTH';
export type LoggingLevel = 'OFF' | 'ERROR' | 'INFO';
export type Architecture = 'arm64' | 'x86_64';

/**
 * One config key of the app itself (not the gateway's), declared in its descriptor (infra/src/app/load.ts
 * `settings`), not in Pulumi.yaml: read by the same strict reader as the gateway's keys.
 */
export interface AppSettingDeclaration {
  /** What the key means, for people (the one description of the key: Pulumi.yaml declares only the gateway's). */
  description: string;
  /** The value when the stack does not set the key (as Pulumi config holds it: a string, `'true'`, `'7'`). */
  default: string;
  /** The allowed values, matched case-insensitively and returned as spelt here; omitted: any text. */
  values?: readonly string[];
}

/** The app's config keys (without the project prefix) → their declarations. */
export type AppSettingDeclarations = Readonly<Record<string, AppSettingDeclaration>>;

export interface GatewaySettings {
  /** Stage name, also the first path segment of every URL (`/dev/...`). Default `dev`. */
  stageName: string;
  /** Usage plan throttle: steady requests per second (default 100) and bucket size (default 200). */
  throttle: { rateLimit: number; burstLimit: number };
  /** Usage plan quota: requests per period (default 10,000 per DAY). */
  quota: { limit: number; period: QuotaPeriod };
  lambda: {
    /** MB, default 512. */
    memorySize: number;
    /** Seconds, default 29 (API Gateway's integration timeout). */
    timeoutSeconds: number;
    /** Default arm64. */
    architecture: Architecture;
    /** Default nodejs22.x. */
    runtime: string;
  };
  /** CloudWatch log retention in days for the function and access logs (default 7). */
  logRetentionDays: number;
  /** Stage execution logging level (default INFO). */
  loggingLevel: LoggingLevel;
  /** Logs full requests and responses, bodies included: default false (on in the dev stack). */
  dataTraceEnabled: boolean;
  /** CloudWatch metrics for every method (default true). */
  metricsEnabled: boolean;
  /** Allowed CORS origins; empty (default) means no CORS. */
  corsOrigins: string[];
  /**
   * The app's own config keys (declared in its descriptor, infra/src/app/load.ts `settings`) → their values,
   * defaults applied, checked against the declared values: the gateway reads none of them.
   */
  app: Readonly<Record<string, string>>;
  /**
   * The account-level (per region) API Gateway CloudWatch Logs role, which execution and access logs
   * need (docs/api-definition.md "The account's CloudWatch role"). Default `auto`: read the account's
   * setting and create the role and the setting only where none is set; `true`: always create and set
   * them; `false`: never, and a missing role fails the preview when logs are on. Created ones are kept
   * on `pulumi destroy` (other APIs in the region rely on the setting).
   */
  manageCloudWatchRole: 'auto' | boolean;
  /** The stage's JSON access log to CloudWatch (default true). With it off and loggingLevel OFF, no role is needed. */
  accessLogs: boolean;
  /**
   * The Cognito user pool behind user-pool routes (docs/auth.md): `create` (the stack creates a pool, an
   * app client and resource servers for the routes' scopes), an existing pool's ARN (the stack adds an app
   * client and the resource servers to it), or undefined (default: no user pool, no user-pool routes).
   */
  userPool?: UserPoolSetting;
  /** The custom domain (docs/edge.md): undefined without `domainName`. Parsed by edgeSettings. */
  domain: DomainSettings | undefined;
  /** The WAFv2 web ACL on the stage (docs/edge.md). */
  waf: WafSettings;
}

/**
 * A custom domain in front of the stage. `certificate` says where its TLS certificate comes from:
 * `issue` (a regional ACM certificate validated by DNS in `hostedZoneId`, plus the alias record),
 * `arn` (bring your own regional ACM certificate; DNS is yours), or `existing` (the domain belongs
 * to another stack, `domainOwner false`: this stack only maps its base path).
 */
export type DomainSettings = {
  /** The host name, lower case (`api.example.org`). */
  name: string;
  /** The base path the stage is mapped at, without slashes (`v1`); '' maps the whole domain. */
  basePath: string;
} & ({ certificate: 'issue'; hostedZoneId: string } | { certificate: 'arn'; certificateArn: string } | { certificate: 'existing' });

export interface WafSettings {
  /** A regional WAFv2 web ACL on the stage (default false). */
  enabled: boolean;
  /** Requests per 5 minutes from one IP address before WAF blocks it (default 1000; WAF's minimum is 10). */
  rateLimit: number;
}

export type UserPoolSetting = { mode: 'create' } | { mode: 'existing'; arn: string; region: string; poolId: string };

/** A Cognito user pool ARN: `arn:PARTITION:cognito-idp:REGION:ACCOUNT:userpool/REGION_ID` (Cognito API reference, "UserPoolType" Arn; Id pattern `[\w-]+_[0-9a-zA-Z]+`). */
export const USER_POOL_ARN_PATTERN = /^arn:aws[a-z-]*:cognito-idp:([a-z]{2}(?:-[a-z]+)+-\d):(\d{12}):userpool\/([\w-]+_[0-9a-zA-Z]+)$/;

/** The Pulumi project name: config keys are `<PROJECT_NAME>:<key>` in stack files. */
export const PROJECT_NAME = 'koa-apigateway';

/** API Gateway's integration timeout (seconds): a Lambda running longer is cut off with a 504. */
export const GATEWAY_TIMEOUT_SECONDS = 29;

/** The retention values CloudWatch Logs accepts (PutRetentionPolicy). */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

/** Every config key of the gateway, with its default (as the string Pulumi config holds). Mirrors Pulumi.yaml `config:`. */
export const SETTING_DEFAULTS = {
  stageName: 'dev',
  rateLimit: '100',
  burstLimit: '200',
  quotaLimit: '10000',
  quotaPeriod: 'DAY',
  lambdaMemorySize: '512',
  lambdaTimeout: '29',
  lambdaArchitecture: 'arm64',
  lambdaRuntime: 'nodejs22.x',
  logRetentionDays: '7',
  loggingLevel: 'INFO',
  dataTraceEnabled: 'false',
  metricsEnabled: 'true',
  corsOrigins: '',
  manageCloudWatchRole: 'auto',
  accessLogs: 'true',
  userPool: '',
  domainName: '',
  hostedZoneId: '',
  certificateArn: '',
  basePath: '',
  domainOwner: 'true',
  waf: 'false',
  wafRateLimit: '1000',
} as const satisfies Record<string, string>;

export type SettingKey = keyof typeof SETTING_DEFAULTS;
export const SETTING_KEYS = Object.keys(SETTING_DEFAULTS) as SettingKey[];

/** A setting that cannot be used; the message names the key, the value and the fix. */
export class SettingsError extends VisibleError {
  constructor(
    readonly key: string,
    readonly value: string,
    expected: string,
    /** The fix, when it is not "set this key to a valid value" (a combination of keys). */
    fix?: string,
  ) {
    super(
      `Config "${PROJECT_NAME}:${key}" is ${JSON.stringify(value)}: ${expected}. ` +
        (fix ? `Fix: ${fix}.` : `Fix: pulumi config set ${key} <value> (or remove it to use the default ${JSON.stringify(SETTING_DEFAULTS[key as SettingKey] ?? '')}).`),
    );
    this.name = 'SettingsError';
  }
}

/** Where a config key's value comes from, for the fix of an unknown one (see {@link UnknownSettingError}). */
export interface KeySource {
  /** Pulumi.yaml `config:` declares it: `pulumi config rm` cannot remove that, only an edit of Pulumi.yaml. */
  declaredInProject: boolean;
  /** The stack file sets it (`pulumi config rm` removes it); undefined when the reader cannot tell (`pulumi up`). */
  setInStack?: boolean;
}

/**
 * A config key of this project that no setting has (a typo such as `rateLimt`, or a key of an app no longer
 * served): every reader refuses it (`pulumi up`, `npm run synth`, `npm start`), naming the closest known key
 * and the fix that removes it from where it is: `pulumi config rm` for a stack value, an edit of Pulumi.yaml
 * `config:` for a declaration there (`source`; default: a stack value).
 */
export class UnknownSettingError extends VisibleError {
  /** @param known every key there is: the gateway's, then the app's. */
  constructor(
    readonly key: string,
    known: readonly string[] = SETTING_KEYS,
    source: KeySource = { declaredInProject: false, setInStack: true },
  ) {
    const near = closest(key, known);
    const rename = near ? ` && pulumi config set ${near} <value>` : '';
    const stackFix = `pulumi config rm ${key}${rename} (or edit the stack's Pulumi.<stack>.yaml)`;
    const steps = [`remove "${key}" from Pulumi.yaml \`config:\` (no app served declares it: an app declares its own keys in its descriptor's settings, infra/src/app/load.ts)`];
    if (source.setInStack !== false) steps.push(`pulumi config rm ${key}${source.setInStack === undefined ? ' if the stack sets it too' : ''}`);
    const projectFix = steps.join(', and ') + (near ? `; if you meant ${near}: pulumi config set ${near} <value>` : '');
    super(
      `Unknown config key "${PROJECT_NAME}:${key}"${near ? ` (did you mean "${near}"?)` : ''}. Known keys: ${known.join(', ')}. ` +
        `Fix: ${source.declaredInProject ? projectFix : stackFix}.`,
    );
    this.name = 'UnknownSettingError';
  }
}

/**
 * A stack with no `Pulumi.<stack>.yaml` beside Pulumi.yaml (`--stack prd`, `STACK=prod`): refused rather
 * than silently read as the defaults, naming the stacks there are and the fix.
 */
export class UnknownStackError extends VisibleError {
  constructor(
    readonly stackName: string,
    readonly known: readonly string[],
  ) {
    const stack = stackName;
    super(
      `Unknown stack "${stack}": there is no Pulumi.${stack}.yaml beside Pulumi.yaml (stacks here: ${known.length ? known.join(', ') : 'none'}). ` +
        `Fix: name one of those (--stack ${known[0] ?? 'dev'} / STACK=${known[0] ?? 'dev'}), or create the stack and its file: ` +
        `pulumi stack init ${stack} && pulumi config set aws:region us-east-1 --stack ${stack}.`,
    );
    this.name = 'UnknownStackError';
  }
}

/**
 * A stack name Pulumi would refuse (`--stack ../dev`): letters, digits, `-`, `_` and `.` only, at most 100
 * characters (the Pulumi CLI's validateStackName, pkg/backend/httpstate: `^[a-zA-Z0-9-_.]{1,100}$`).
 * Refused before any file is looked up, so no path is built from it and no `pulumi stack init` of it is suggested.
 */
export class InvalidStackNameError extends VisibleError {
  constructor(readonly stackName: string) {
    const fixed = stackName.replace(/[^a-zA-Z0-9-_.]/g, '').replace(/^\.+/, '').slice(0, 100) || 'dev';
    super(
      `Invalid stack name ${JSON.stringify(stackName)}: a Pulumi stack name may only contain letters, digits, hyphens, underscores and periods (at most 100). ` +
        `Fix: name the stack, not a path (--stack ${fixed} / STACK=${fixed}).`,
    );
    this.name = 'InvalidStackNameError';
  }
}

/** Pulumi's stack name rule (see {@link InvalidStackNameError}). */
export const STACK_NAME = /^[a-zA-Z0-9-_.]{1,100}$/;

/**
 * A config key whose namespace looks like a misspelt project name (`koa-apigatway:rateLimit`): Pulumi would
 * hand it to no one and the setting would silently be its default. Only namespaces close to the project's
 * name are refused; any other (`aws:`, `pulumi:`, another provider's) is left to its owner.
 */
export class UnknownNamespaceError extends VisibleError {
  constructor(
    readonly key: string,
    readonly project: string,
  ) {
    const name = key.slice(key.indexOf(':') + 1);
    super(
      `Unknown config namespace in "${key}" (did you mean "${project}:${name}"?): this project reads only "${project}:" keys, so it would be ignored. ` +
        `Fix: pulumi config rm ${key} && pulumi config set ${name} <value> (or rename it in the stack's Pulumi.<stack>.yaml).`,
    );
    this.name = 'UnknownNamespaceError';
  }
}

/** Namespaces of providers this program uses, never taken for a misspelt project name. */
const PROVIDER_NAMESPACES = ['aws', 'pulumi'];

/** True when `namespace` is not the project's nor a provider's but close to the project's name (a typo of it). */
function looksLikeProjectTypo(namespace: string, project: string): boolean {
  const ns = namespace.toLowerCase();
  const name = project.toLowerCase();
  if (namespace === project || PROVIDER_NAMESPACES.includes(namespace)) return false;
  // `koa-apigateway-pulumi` (the npm package's name), `koa_apigateway`, `koa-apigatway`, `koa-api-gateway`.
  const squash = (t: string) => t.replace(/[-_.]/g, '');
  return ns.startsWith(name) || (name.startsWith(ns) && ns.length >= 4) || squash(ns) === squash(name) || closest(ns, [name]) !== undefined;
}

/**
 * Throws UnknownNamespaceError for the first of `keys` (`namespace:name` config keys) whose namespace is a
 * near miss of `project` (see {@link UnknownNamespaceError}). Used by every reader: `pulumi up` and the scripts.
 */
export function assertProjectNamespace(keys: Iterable<string>, project: string): void {
  for (const key of keys) if (key.includes(':') && looksLikeProjectTypo(key.slice(0, key.indexOf(':')), project)) throw new UnknownNamespaceError(key, project);
}

/** The stacks configured in `root`: the `<stack>` of every `Pulumi.<stack>.yaml`, sorted. */
export function knownStacks(root: string): string[] {
  return readdirSync(root)
    .map((f) => /^Pulumi\.(.+)\.ya?ml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();
}

/** Returns the candidate within edit distance 2 of `word` (case-insensitive), if exactly one is closest. */
function closest(word: string, candidates: readonly string[]): string | undefined {
  const distance = (a: string, b: string): number => {
    const row = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      let previous = row[0]!;
      row[0] = i;
      for (let j = 1; j <= b.length; j++) {
        const current = row[j]!;
        row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
        previous = current;
      }
    }
    return row[b.length]!;
  };
  const scored = candidates.map((c) => ({ c, d: distance(word.toLowerCase(), c.toLowerCase()) })).sort((x, y) => x.d - y.d);
  return scored[0] && scored[0].d <= 2 && scored[1]?.d !== scored[0].d ? scored[0].c : undefined;
}

/**
 * Returns the typed settings for raw config values (key without the project prefix → string),
 * defaults applied; `app` declares the app's own keys (infra/src/app/load.ts), returned in `settings.app`.
 * Throws UnknownSettingError for a key neither declares, SettingsError naming the key, the bad value and the fix.
 */
export function parseSettings(raw: Record<string, string | undefined>, app: AppSettingDeclarations = {}): GatewaySettings {
  assertKnownKeys(Object.keys(raw), app);
  const get = (key: SettingKey): string => (raw[key] ?? SETTING_DEFAULTS[key]).trim();

  const stageName = get('stageName');
  if (!/^[A-Za-z0-9_-]{1,128}$/.test(stageName)) throw new SettingsError('stageName', stageName, 'a stage name is 1-128 letters, digits, "-" or "_"');

  return {
    stageName,
    throttle: { rateLimit: number(get, 'rateLimit', { min: 0, exclusiveMin: true }), burstLimit: integer(get, 'burstLimit', { min: 0 }) },
    quota: { limit: integer(get, 'quotaLimit', { min: 1 }), period: oneOf(get, 'quotaPeriod', ['DAY', 'WEEK', 'MONTH'] as const) },
    lambda: {
      memorySize: integer(get, 'lambdaMemorySize', { min: 128, max: 10240 }),
      timeoutSeconds: integer(get, 'lambdaTimeout', { min: 1, max: 900 }),
      architecture: oneOf(get, 'lambdaArchitecture', ['arm64', 'x86_64'] as const),
      runtime: runtime(get('lambdaRuntime')),
    },
    logRetentionDays: retention(get('logRetentionDays')),
    loggingLevel: oneOf(get, 'loggingLevel', ['OFF', 'ERROR', 'INFO'] as const),
    dataTraceEnabled: boolean(get, 'dataTraceEnabled'),
    metricsEnabled: boolean(get, 'metricsEnabled'),
    corsOrigins: origins(get('corsOrigins')),
    app: appSettings(raw, app),
    manageCloudWatchRole: get('manageCloudWatchRole').toLowerCase() === 'auto' ? 'auto' : boolean(get, 'manageCloudWatchRole', 'expected auto, true or false'),
    accessLogs: boolean(get, 'accessLogs'),
    ...userPool(get('userPool')),
    ...edgeSettings(get),
  };
}

/** Returns warnings for settings that are valid but probably not what was meant. */
export function settingsWarnings(settings: GatewaySettings): string[] {
  const warnings: string[] = [];
  if (settings.lambda.timeoutSeconds > GATEWAY_TIMEOUT_SECONDS) {
    warnings.push(
      `Config "${PROJECT_NAME}:lambdaTimeout" is ${settings.lambda.timeoutSeconds}s but API Gateway stops waiting after ${GATEWAY_TIMEOUT_SECONDS}s (504): ` +
        `the function keeps running and billing. Fix: pulumi config set lambdaTimeout ${GATEWAY_TIMEOUT_SECONDS}.`,
    );
  }
  if (settings.throttle.burstLimit < settings.throttle.rateLimit) {
    warnings.push(`Config "${PROJECT_NAME}:burstLimit" (${settings.throttle.burstLimit}) is below rateLimit (${settings.throttle.rateLimit}): the bucket can never hold a full second of traffic.`);
  }
  if (!settings.waf.enabled && settings.waf.rateLimit !== Number(SETTING_DEFAULTS.wafRateLimit)) {
    warnings.push(`Config "${PROJECT_NAME}:wafRateLimit" is set but waf is false: no web ACL limits anything. Fix: pulumi config set waf true (or pulumi config rm wafRateLimit).`);
  }
  if (settings.dataTraceEnabled && settings.loggingLevel === 'OFF') {
    warnings.push(`Config "${PROJECT_NAME}:dataTraceEnabled" is true but loggingLevel is OFF: nothing is logged. Fix: pulumi config set loggingLevel INFO.`);
  }
  return warnings;
}

export interface ReadStackOptions {
  /** The app's own config keys (default: those of the app's descriptor, infra/src/app/load.ts loadApp). */
  app?: AppSettingDeclarations;
  /** Directory holding Pulumi.yaml (default: this repository). */
  root?: string;
  /** Stack name: reads `Pulumi.<stack>.yaml`, which must exist (UnknownStackError otherwise; default `dev`). */
  stack?: string;
  /** Values that win over both files (key without the project prefix). */
  overrides?: Record<string, string>;
}

/**
 * Returns the settings of a stack read from files, without the Pulumi CLI: Pulumi.yaml `config:`
 * defaults, then `Pulumi.<stack>.yaml` values for this project, then `overrides`. The one reader of
 * `npm start`, `npm run synth` and `npm run openapi`; `pulumi up` reads the same keys through
 * infra/src/pulumi/config.ts. Throws UnknownStackError, UnknownSettingError or SettingsError, each naming the fix.
 */
export function readStackSettings(options: ReadStackOptions = {}): GatewaySettings {
  const app = options.app ?? descriptorSettings();
  return parseSettings(readStackConfig({ ...options, app }).project, app);
}

/** The settings the app's descriptor declares (loaded on first use: the descriptor loads the app). */
function descriptorSettings(): AppSettingDeclarations {
  return loadApp().settings ?? {};
}

/**
 * Throws UnknownSettingError for the first key that is neither the gateway's nor declared by the app (its fix
 * follows `sourceOf(key)`, default: a stack value), and a VisibleError when the app declares a key the gateway
 * has (two meanings for one key). Every reader calls it: parseSettings, readStackConfig, and the program's
 * readPulumiSettings (infra/src/pulumi/config.ts).
 */
export function assertKnownKeys(keys: Iterable<string>, app: AppSettingDeclarations, sourceOf?: (key: string) => KeySource): void {
  for (const key of Object.keys(app)) {
    if ((SETTING_KEYS as string[]).includes(key)) {
      throw new VisibleError(`The app declares the config key "${PROJECT_NAME}:${key}" (its descriptor's settings), which is a gateway setting already. Fix: give the app's setting another name in its descriptor (and in the stack files that set it).`);
    }
  }
  for (const key of keys) {
    if (!(SETTING_KEYS as string[]).includes(key) && !Object.hasOwn(app, key)) throw new UnknownSettingError(key, [...SETTING_KEYS, ...Object.keys(app)], sourceOf?.(key));
  }
}

/** The app's settings: each declared key's value (or default), checked against its declared values. */
function appSettings(raw: Record<string, string | undefined>, app: AppSettingDeclarations): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, declared] of Object.entries(app)) {
    const text = (raw[key] ?? declared.default).trim();
    const found = declared.values ? declared.values.find((v) => v.toLowerCase() === text.toLowerCase()) : text;
    if (found === undefined) {
      throw new SettingsError(key, text, `expected one of ${declared.values!.join(', ')}`, `pulumi config set ${key} <value> (or remove it to use the default ${JSON.stringify(declared.default)})`);
    }
    out[key] = found;
  }
  return out;
}

/** The raw config of a stack: this project's keys (prefix removed) and every namespaced key (e.g. `aws:region`). */
export interface StackConfig {
  project: Record<string, string>;
  all: Record<string, string>;
}

/**
 * Returns the raw config a stack would have (see readStackSettings), values as strings. Throws
 * InvalidStackNameError for a name Pulumi refuses, UnknownStackError when `Pulumi.<stack>.yaml` does not
 * exist, UnknownNamespaceError for a key under a misspelt project name and UnknownSettingError for a key
 * of this project that is not a setting: a typo never silently means the default.
 */
export function readStackConfig(options: ReadStackOptions = {}): StackConfig {
  const root = options.root ?? projectRoot();
  const stack = options.stack ?? 'dev';
  if (!STACK_NAME.test(stack)) throw new InvalidStackNameError(stack);
  const project = readYaml(path.join(root, 'Pulumi.yaml')) as { name?: string; config?: Record<string, unknown> } | undefined;
  const name = project?.name ?? PROJECT_NAME;
  const all: Record<string, string> = {};
  const declaredInProject = new Set(projectConfigKeys(project, name));
  const setInStack = new Set<string>();
  for (const [key, declared] of Object.entries(project?.config ?? {})) {
    // `key: value` is a plain default; `key: {type, default, description}` may have no default at all.
    const isDeclaration = declared !== null && typeof declared === 'object' && !Array.isArray(declared);
    const value = isDeclaration ? (declared as { default?: unknown; value?: unknown }).default ?? (declared as { value?: unknown }).value : declared;
    if (value !== undefined && value !== null) all[key.includes(':') ? key : `${name}:${key}`] = stringify(value);
  }
  const stackFile = path.join(root, `Pulumi.${stack}.yaml`);
  if (!existsSync(stackFile)) throw new UnknownStackError(stack, knownStacks(root));
  const stackDoc = readYaml(stackFile) as { config?: Record<string, unknown> } | undefined;
  for (const [key, value] of Object.entries(stackDoc?.config ?? {})) {
    if (value && typeof value === 'object' && 'secure' in value) continue; // encrypted: only the Pulumi CLI can read it
    all[key.includes(':') ? key : `${name}:${key}`] = stringify(value);
    setInStack.add(key.includes(':') ? key : `${name}:${key}`);
  }
  for (const [key, value] of Object.entries(options.overrides ?? {})) all[key.includes(':') ? key : `${name}:${key}`] = value;
  assertProjectNamespace(Object.keys(all), name);
  const projectConfig: Record<string, string> = {};
  for (const [key, value] of Object.entries(all)) if (key.startsWith(`${name}:`)) projectConfig[key.slice(name.length + 1)] = value;
  assertKnownKeys(Object.keys(projectConfig), options.app ?? descriptorSettings(), (key) => ({ declaredInProject: declaredInProject.has(key), setInStack: setInStack.has(`${name}:${key}`) }));
  return { project: projectConfig, all };
}

/**
 * The keys of project `name` (without the prefix) that Pulumi.yaml's `config:` declares, read from the
 * project in `root` (default: this repository); none when there is no Pulumi.yaml.
 */
export function projectDeclaredKeys(root = projectRoot()): string[] {
  const file = path.join(root, 'Pulumi.yaml');
  if (!existsSync(file)) return [];
  const project = readYaml(file) as { name?: string; config?: Record<string, unknown> } | undefined;
  return projectConfigKeys(project, project?.name ?? PROJECT_NAME);
}

function projectConfigKeys(project: { config?: Record<string, unknown> } | undefined, name: string): string[] {
  return Object.keys(project?.config ?? {})
    .filter((key) => !key.includes(':') || key.startsWith(`${name}:`))
    .map((key) => (key.includes(':') ? key.slice(name.length + 1) : key));
}

function readYaml(file: string): unknown {
  return parseYaml(readFileSync(file, 'utf8'));
}

function stringify(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(String).join(',');
  return String(value);
}

type Get = (key: SettingKey) => string;

function number(get: Get, key: SettingKey, range: { min?: number; max?: number; exclusiveMin?: boolean }): number {
  const text = get(key);
  const value = Number(text);
  const bounds = `${range.exclusiveMin ? 'above' : 'at least'} ${range.min ?? '-∞'}${range.max !== undefined ? ` and at most ${range.max}` : ''}`;
  if (text === '' || !Number.isFinite(value)) throw new SettingsError(key, text, `expected a number ${bounds}`);
  if (range.min !== undefined && (range.exclusiveMin ? value <= range.min : value < range.min)) throw new SettingsError(key, text, `expected a number ${bounds}`);
  if (range.max !== undefined && value > range.max) throw new SettingsError(key, text, `expected a number ${bounds}`);
  return value;
}

function integer(get: Get, key: SettingKey, range: { min?: number; max?: number }): number {
  const text = get(key);
  const bounds = `at least ${range.min ?? '-∞'}${range.max !== undefined ? ` and at most ${range.max}` : ''}`;
  if (!/^-?\d+$/.test(text)) throw new SettingsError(key, text, `expected a whole number ${bounds}`);
  return number(get, key, range);
}

function oneOf<T extends string>(get: Get, key: SettingKey, allowed: readonly T[]): T {
  const text = get(key);
  const found = allowed.find((a) => a.toLowerCase() === text.toLowerCase());
  if (!found) throw new SettingsError(key, text, `expected one of ${allowed.join(', ')}`);
  return found;
}

function boolean(get: Get, key: SettingKey, expected = 'expected true or false'): boolean {
  const text = get(key).toLowerCase();
  if (text === 'true') return true;
  if (text === 'false') return false;
  throw new SettingsError(key, get(key), expected);
}

/** True when the stage writes to CloudWatch (execution or access logs): then the account needs its CloudWatch role. */
export function stageLogsToCloudWatch(settings: Pick<GatewaySettings, 'loggingLevel' | 'accessLogs'>): boolean {
  return settings.loggingLevel !== 'OFF' || settings.accessLogs;
}

function userPool(text: string): { userPool?: UserPoolSetting } {
  if (text === '') return {};
  if (text.toLowerCase() === 'create') return { userPool: { mode: 'create' } };
  const match = USER_POOL_ARN_PATTERN.exec(text);
  if (!match) {
    throw new SettingsError(
      'userPool',
      text,
      'expected "create" (the stack creates a user pool) or an existing pool ARN such as arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbCdEf123 (aws cognito-idp describe-user-pool --user-pool-id ID --query UserPool.Arn)',
    );
  }
  const region = match[1]!;
  const poolId = match[3]!;
  // A pool id is `REGION_suffix` (Cognito API reference, "UserPoolType" Id): an ARN naming another region names no pool.
  if (poolId.slice(0, poolId.indexOf('_')) !== region) {
    throw new SettingsError('userPool', text, `the ARN's region ${region} is not the region of pool ${poolId}, so it names no pool`, `pulumi config set userPool ${poolArnFix(text)} (copy it from aws cognito-idp describe-user-pool --user-pool-id ${poolId} --query UserPool.Arn)`);
  }
  return { userPool: { mode: 'existing', arn: text, region, poolId } };
}

function poolArnFix(arn: string): string {
  const match = USER_POOL_ARN_PATTERN.exec(arn);
  if (!match) return '<pool ARN>';
  const poolRegion = match[3]!.slice(0, match[3]!.indexOf('_'));
  return arn.replace(`:${match[1]}:`, `:${poolRegion}:`);
}

/**
 * Throws a SettingsError when `userPool` names an existing pool outside `stackRegion` (the stack's
 * `aws:region`, or the provider's AWS_REGION fallback): the app client and resource servers are created
 * through the stack's provider, in its region, where that pool does not exist (Cognito user pools are
 * regional: Cognito developer guide, "Amazon Cognito endpoints and quotas"). A created pool, or an unknown
 * region (the AWS provider refuses that itself), passes. The pool's account cannot be checked at preview
 * without calling AWS; docs/auth.md says it must be the stack's.
 */
export function checkUserPoolRegion(setting: UserPoolSetting | undefined, stackRegion: string | undefined): void {
  if (setting?.mode !== 'existing' || !stackRegion || setting.region === stackRegion) return;
  throw new SettingsError(
    'userPool',
    setting.arn,
    `a pool in ${setting.region}, but the stack deploys to ${stackRegion} (aws:region): its app client and resource servers would be created in ${stackRegion}, where the pool is not`,
    `pulumi config set userPool <the ARN of a pool in ${stackRegion}> (or create), or pulumi config set aws:region ${setting.region}`,
  );
}

function runtime(text: string): string {
  const match = /^nodejs(\d+)\.x$/.exec(text);
  // The bundle is an ES module targeting node22 features.
  if (!match || Number(match[1]) < 22) throw new SettingsError('lambdaRuntime', text, 'expected a Lambda Node.js runtime nodejs22.x or newer (the bundle targets Node 22)');
  return text;
}

function retention(text: string): number {
  const value = Number(text);
  if (!(LOG_RETENTION_DAYS as readonly number[]).includes(value)) {
    throw new SettingsError('logRetentionDays', text, `CloudWatch Logs accepts only ${LOG_RETENTION_DAYS.join(', ')} days`);
  }
  return value;
}

function origins(text: string): string[] {
  if (text === '') return [];
  const list = text.startsWith('[') ? parseJsonList(text) : text.split(',').map((o) => o.trim()).filter(Boolean);
  for (const origin of list) {
    if (origin !== '*' && !/^https?:\/\/[^/\s,]+$/.test(origin)) {
      throw new SettingsError('corsOrigins', text, `"${origin}" is not an origin: use "*" or scheme://host[:port] without a path, comma-separated`);
    }
  }
  return [...new Set(list)];
}

function parseJsonList(text: string): string[] {
  try {
    const value = JSON.parse(text) as unknown;
    if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  } catch {
    // fall through to the error below
  }
  throw new SettingsError('corsOrigins', text, 'expected a comma-separated list or a JSON array of origins');
}

/** WAF's smallest rate-based limit (AWS WAF Developer Guide, "Rate-based rule high-level settings": "The lowest limit setting allowed is 10"). */
export const WAF_MIN_RATE_LIMIT = 10;
/** WAF's largest rate-based limit (WAFv2 API RateBasedStatement.Limit: 10 to 2,000,000,000). */
export const WAF_MAX_RATE_LIMIT = 2_000_000_000;

/**
 * The custom domain and WAF settings (docs/edge.md). Refuses, naming the key and the fix: a domain
 * setting without `domainName`; a domain with neither `hostedZoneId` nor `certificateArn` (or both);
 * a stack reusing another stack's domain (`domainOwner false`) that names a zone or certificate or
 * has no base path (API Gateway refuses an empty base path on a domain with other mappings); a
 * malformed host name, zone id, certificate ARN or base path; a rate limit outside WAF's 10..2e9.
 */
function edgeSettings(get: Get): { domain: DomainSettings | undefined; waf: WafSettings } {
  const waf: WafSettings = { enabled: boolean(get, 'waf'), rateLimit: integer(get, 'wafRateLimit', { min: WAF_MIN_RATE_LIMIT, max: WAF_MAX_RATE_LIMIT }) };
  const name = get('domainName').toLowerCase().replace(/\.$/, '');
  const hostedZoneId = get('hostedZoneId').replace(/^\/?hostedzone\//, '');
  const certificateArn = get('certificateArn');
  const basePath = get('basePath').replace(/^\/+|\/+$/g, '');
  const owner = boolean(get, 'domainOwner');
  if (name === '') {
    for (const key of ['hostedZoneId', 'certificateArn', 'basePath'] as const) {
      if (get(key) !== '') throw new SettingsError(key, get(key), 'it only applies to a custom domain, and domainName is not set', 'pulumi config set domainName api.example.org');
    }
    if (!owner) throw new SettingsError('domainOwner', get('domainOwner'), 'false means "reuse the domain another stack owns", and domainName is not set', 'pulumi config set domainName <the other stack\'s domain>');
    return { domain: undefined, waf };
  }
  // RFC 1123 host names, at least two labels; API Gateway custom domains are public DNS names. No wildcard: one certificate, one name.
  if (name.length > 253 || !/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/.test(name)) {
    throw new SettingsError('domainName', get('domainName'), 'expected a host name such as api.example.org (letters, digits and "-" in dot-separated labels, no scheme, path or wildcard)');
  }
  if (basePath !== '' && !/^[A-Za-z0-9._~-]{1,128}$/.test(basePath)) {
    throw new SettingsError('basePath', get('basePath'), 'expected one path segment such as v1 (letters, digits, ".", "_", "~", "-"), or empty to map the whole domain');
  }
  if (hostedZoneId !== '' && !/^[A-Z0-9]{1,32}$/.test(hostedZoneId)) {
    throw new SettingsError('hostedZoneId', get('hostedZoneId'), 'expected a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ (Route 53 console, or aws route53 list-hosted-zones-by-name)');
  }
  if (certificateArn !== '' && !/^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[A-Za-z0-9-]+$/.test(certificateArn)) {
    throw new SettingsError('certificateArn', certificateArn, 'expected an ACM certificate ARN, arn:aws:acm:<region>:<account>:certificate/<id>, in the stack\'s region');
  }
  if (!owner) {
    for (const key of ['hostedZoneId', 'certificateArn'] as const) {
      if (get(key) !== '') {
        throw new SettingsError(key, get(key), 'with domainOwner false the domain, its certificate and its DNS record belong to the stack that owns the domain', `pulumi config rm ${key}`);
      }
    }
    // A REST custom domain with other base path mappings (the owner's at least) refuses an empty one:
    // CreateBasePathMapping answers 409 ConflictException "Only one base path mapping is allowed if the
    // base path is empty" (reported in amplify-education/serverless-domain-manager#179).
    if (basePath === '') {
      throw new SettingsError(
        'basePath',
        get('basePath'),
        'with domainOwner false another stack already maps the domain, and API Gateway refuses an empty base path on a domain with other mappings',
        'pulumi config set basePath v2 (one path segment this stack is served at; the owning stack should use its own, e.g. v1)',
      );
    }
    return { domain: { name, basePath, certificate: 'existing' }, waf };
  }
  if (hostedZoneId !== '' && certificateArn !== '') {
    throw new SettingsError(
      'certificateArn',
      certificateArn,
      'set either hostedZoneId (the stack issues the certificate and creates the DNS records) or certificateArn (your certificate, your DNS), not both', 'pulumi config rm certificateArn, or pulumi config rm hostedZoneId',
    );
  }
  if (hostedZoneId !== '') return { domain: { name, basePath, certificate: 'issue', hostedZoneId }, waf };
  if (certificateArn !== '') return { domain: { name, basePath, certificate: 'arn', certificateArn }, waf };
  throw new SettingsError(
    'domainName',
    get('domainName'),
    'a custom domain needs a certificate', 'pulumi config set hostedZoneId <Route 53 zone of the domain> (the stack issues one), or pulumi config set certificateArn <ACM ARN> (your own), or pulumi config set domainOwner false (another stack owns the domain)',
  );
}
