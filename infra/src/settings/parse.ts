import { GATEWAY_TIMEOUT_SECONDS } from '../core/limits';
import { BINARY_MEDIA_TYPE } from '../core/plan/binary';
import { AppDescriptorError, configKeyName, SettingsError, UnknownSettingError, type KeySource } from '../errors';
import { edgeSettings } from './edge';
import { LOG_RETENTION_DAYS, SETTING_DEFAULTS, SETTING_KEYS, isSettingKey } from './keys';
import type { AppSettingDeclarations, GatewaySettings, GatewaySettingsInput, UserPoolSetting } from './types';
import { boolean, integer, keyReader, number, oneOf, refuse, type KeyReader } from './values';

/**
 * Parsing and checking the settings: raw config values (strings, as Pulumi config holds them) → typed
 * {@link GatewaySettings}, defaults from the key table (./keys.ts). Pure: the readers of Pulumi config
 * (infra/src/pulumi/config.ts) and of the stack files (./stack-files.ts) hand their values in.
 */

/** A Cognito user pool ARN: `arn:PARTITION:cognito-idp:REGION:ACCOUNT:userpool/REGION_ID` (Cognito API reference, "UserPoolType" Arn; Id pattern `[\w-]+_[0-9a-zA-Z]+`). */
export const USER_POOL_ARN_PATTERN = /^arn:aws[a-z-]*:cognito-idp:([a-z]{2}(?:-[a-z]+)+-\d):(\d{12}):userpool\/([\w-]+_[0-9a-zA-Z]+)$/;

/**
 * Returns the typed settings for raw config values (key without the project prefix → string),
 * defaults applied; `app` declares the app's own keys (its descriptor's `settings`), returned in `settings.app`.
 * `project` is the Pulumi project whose keys they are (Pulumi.yaml `name`, `pulumi.getProject()`): messages
 * name `<project>:<key>` (omitted: the bare key).
 * Throws UnknownSettingError for a key neither declares, SettingsError naming the key, the bad value and the fix.
 */
export function parseSettings(raw: Record<string, string | undefined>, app: AppSettingDeclarations = {}, project?: string): GatewaySettings {
  assertKnownKeys(Object.keys(raw), app, undefined, project);
  const reader = keyReader(raw, project);
  const get = reader.get;

  const stageName = get('stageName');
  if (!/^[A-Za-z0-9_-]{1,128}$/.test(stageName)) refuse(reader, 'stageName', stageName, 'a stage name is 1-128 letters, digits, "-" or "_"');

  return {
    stageName,
    throttle: { rateLimit: number(reader, 'rateLimit', { min: 0, exclusiveMin: true }), burstLimit: integer(reader, 'burstLimit', { min: 0 }) },
    stageThrottle: { rateLimit: number(reader, 'stageRateLimit', { min: 0, exclusiveMin: true }), burstLimit: integer(reader, 'stageBurstLimit', { min: 0 }) },
    quota: { limit: integer(reader, 'quotaLimit', { min: 1 }), period: oneOf(reader, 'quotaPeriod') },
    lambda: {
      memorySize: integer(reader, 'lambdaMemorySize', { min: 128, max: 10240 }),
      timeoutSeconds: integer(reader, 'lambdaTimeout', { min: 1, max: 900 }),
      architecture: oneOf(reader, 'lambdaArchitecture'),
      runtime: runtime(reader),
    },
    logRetentionDays: retention(reader),
    loggingLevel: oneOf(reader, 'loggingLevel'),
    dataTraceEnabled: boolean(reader, 'dataTraceEnabled'),
    metricsEnabled: boolean(reader, 'metricsEnabled'),
    corsOrigins: origins(reader),
    binaryMediaTypes: binaryMediaTypes(reader),
    ...minimumCompressionSize(reader),
    app: appSettings(raw, app, project),
    manageCloudWatchRole: get('manageCloudWatchRole').toLowerCase() === 'auto' ? 'auto' : boolean(reader, 'manageCloudWatchRole', 'expected auto, true or false'),
    accessLogs: boolean(reader, 'accessLogs'),
    ...userPool(reader),
    ...edgeSettings(reader),
  };
}

/**
 * Returns `input` completed with the key table's defaults (the settings of a stack that sets no key), one
 * level deep: a nested group (`throttle`, `stageThrottle`, `quota`, `lambda`, `waf`) keeps the defaults of the fields it leaves
 * out. What the component does with the settings it is given (KoaGatewayArgs.settings); full settings come
 * back equal.
 */
export function settingsWithDefaults(input: GatewaySettingsInput = {}): GatewaySettings {
  const defaults = parseSettings({});
  return {
    ...defaults,
    ...input,
    throttle: { ...defaults.throttle, ...input.throttle },
    stageThrottle: { ...defaults.stageThrottle, ...input.stageThrottle },
    quota: { ...defaults.quota, ...input.quota },
    lambda: { ...defaults.lambda, ...input.lambda },
    waf: { ...defaults.waf, ...input.waf },
  } as GatewaySettings;
}

/**
 * Returns warnings for settings that are valid but probably not what was meant; `project` names the keys'
 * namespace, as in {@link parseSettings}.
 */
export function settingsWarnings(settings: GatewaySettings, project?: string): string[] {
  const key = (name: string) => configKeyName(name, project);
  const warnings: string[] = [];
  if (settings.lambda.timeoutSeconds > GATEWAY_TIMEOUT_SECONDS) {
    warnings.push(
      `Config "${key('lambdaTimeout')}" is ${settings.lambda.timeoutSeconds}s but API Gateway stops waiting after ${GATEWAY_TIMEOUT_SECONDS}s (504): ` +
        `the function keeps running and billing. Fix: pulumi config set lambdaTimeout ${GATEWAY_TIMEOUT_SECONDS}.`,
    );
  }
  if (settings.throttle.burstLimit < settings.throttle.rateLimit) {
    warnings.push(`Config "${key('burstLimit')}" (${settings.throttle.burstLimit}) is below rateLimit (${settings.throttle.rateLimit}): the bucket can never hold a full second of traffic.`);
  }
  if (settings.stageThrottle.burstLimit < settings.stageThrottle.rateLimit) {
    warnings.push(`Config "${key('stageBurstLimit')}" (${settings.stageThrottle.burstLimit}) is below stageRateLimit (${settings.stageThrottle.rateLimit}): the bucket can never hold a full second of traffic.`);
  }
  // The stage throttle applies to every client together, after each key's usage plan (docs/apigateway-behaviour.md §3.10):
  // below the plan's numbers, it is what stops a single key, and the plan's promise is never reached.
  for (const [stageKey, planKey, field] of [['stageRateLimit', 'rateLimit', 'rateLimit'], ['stageBurstLimit', 'burstLimit', 'burstLimit']] as const) {
    if (settings.stageThrottle[field] < settings.throttle[field]) {
      warnings.push(
        `Config "${key(stageKey)}" (${settings.stageThrottle[field]}) is below ${planKey} (${settings.throttle[field]}): the stage throttle counts every client together, so even one API key is held under its usage plan's ${planKey}. ` +
          `Fix: pulumi config set ${stageKey} ${settings.throttle[field]} (or more: it protects the function and the account, for all clients at once), or lower ${planKey}.`,
      );
    }
  }
  if (!settings.waf.enabled && settings.waf.rateLimit !== Number(SETTING_DEFAULTS.wafRateLimit)) {
    warnings.push(`Config "${key('wafRateLimit')}" is set but waf is false: no web ACL limits anything. Fix: pulumi config set waf true (or pulumi config rm wafRateLimit).`);
  }
  if (settings.dataTraceEnabled && settings.loggingLevel === 'OFF') {
    warnings.push(`Config "${key('dataTraceEnabled')}" is true but loggingLevel is OFF: nothing is logged. Fix: pulumi config set loggingLevel INFO.`);
  }
  return warnings;
}

/**
 * Throws UnknownSettingError for the first key that is neither the gateway's nor declared by the app (its fix
 * follows `sourceOf(key)`, default: a stack value), and an AppDescriptorError when the app declares a key the
 * gateway has (two meanings for one key). Every reader calls it: parseSettings, readStackConfig
 * (./stack-files.ts), and the program's readPulumiSettings (infra/src/pulumi/config.ts). `project` names the
 * keys' namespace in messages.
 */
export function assertKnownKeys(keys: Iterable<string>, app: AppSettingDeclarations, sourceOf?: (key: string) => KeySource, project?: string): void {
  for (const key of Object.keys(app)) {
    if (isSettingKey(key)) {
      throw new AppDescriptorError(
        `The app declares the config key "${configKeyName(key, project)}" (its descriptor's settings), which is a gateway setting already. Fix: give the app's setting another name in its descriptor (and in the stack files that set it).`,
      );
    }
  }
  for (const key of keys) {
    if (!isSettingKey(key) && !Object.hasOwn(app, key)) throw new UnknownSettingError(key, [...SETTING_KEYS, ...Object.keys(app)], sourceOf?.(key), project);
  }
}

/** The app's settings: each declared key's value (or default), checked against its declared values. */
function appSettings(raw: Record<string, string | undefined>, app: AppSettingDeclarations, project: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, declared] of Object.entries(app)) {
    const text = (raw[key] ?? declared.default).trim();
    const found = declared.values ? declared.values.find((v) => v.toLowerCase() === text.toLowerCase()) : text;
    if (found === undefined) {
      throw new SettingsError(key, text, `expected one of ${declared.values!.join(', ')}`, `pulumi config set ${key} <value> (or remove it to use the default ${JSON.stringify(declared.default)})`, project);
    }
    out[key] = found;
  }
  return out;
}

/** True when the stage writes to CloudWatch (execution or access logs): then the account needs its CloudWatch role. */
export function stageLogsToCloudWatch(settings: Pick<GatewaySettings, 'loggingLevel' | 'accessLogs'>): boolean {
  return settings.loggingLevel !== 'OFF' || settings.accessLogs;
}

function userPool(reader: KeyReader): { userPool?: UserPoolSetting } {
  const text = reader.get('userPool');
  if (text === '') return {};
  if (text.toLowerCase() === 'create') return { userPool: { mode: 'create' } };
  const match = USER_POOL_ARN_PATTERN.exec(text);
  if (!match) {
    refuse(
      reader,
      'userPool',
      text,
      'expected "create" (the stack creates a user pool) or an existing pool ARN such as arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbCdEf123 (aws cognito-idp describe-user-pool --user-pool-id ID --query UserPool.Arn)',
    );
  }
  const region = match[1]!;
  const poolId = match[3]!;
  // A pool id is `REGION_suffix` (Cognito API reference, "UserPoolType" Id): an ARN naming another region names no pool.
  if (poolId.slice(0, poolId.indexOf('_')) !== region) {
    refuse(reader, 'userPool', text, `the ARN's region ${region} is not the region of pool ${poolId}, so it names no pool`, `pulumi config set userPool ${poolArnFix(text)} (copy it from aws cognito-idp describe-user-pool --user-pool-id ${poolId} --query UserPool.Arn)`);
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
 * without calling AWS; docs/auth.md says it must be the stack's. `project` names the key's namespace.
 */
export function checkUserPoolRegion(setting: UserPoolSetting | undefined, stackRegion: string | undefined, project?: string): void {
  if (setting?.mode !== 'existing' || !stackRegion || setting.region === stackRegion) return;
  throw new SettingsError(
    'userPool',
    setting.arn,
    `a pool in ${setting.region}, but the stack deploys to ${stackRegion} (aws:region): its app client and resource servers would be created in ${stackRegion}, where the pool is not`,
    `pulumi config set userPool <the ARN of a pool in ${stackRegion}> (or create), or pulumi config set aws:region ${setting.region}`,
    project,
  );
}

function runtime(reader: KeyReader): string {
  const text = reader.get('lambdaRuntime');
  const match = /^nodejs(\d+)\.x$/.exec(text);
  // The bundle is an ES module targeting node22 features.
  if (!match || Number(match[1]) < 22) refuse(reader, 'lambdaRuntime', text, 'expected a Lambda Node.js runtime nodejs22.x or newer (the bundle targets Node 22)');
  return text;
}

function retention(reader: KeyReader): number {
  const text = reader.get('logRetentionDays');
  const value = Number(text);
  if (!(LOG_RETENTION_DAYS as readonly number[]).includes(value)) refuse(reader, 'logRetentionDays', text, `CloudWatch Logs accepts only ${LOG_RETENTION_DAYS.join(', ')} days`);
  return value;
}

/**
 * An origin as browsers send it (RFC 6454 §6.2: scheme "://" host [":" port]): the host an RFC 1123 §2.1 DNS name
 * (letters, digits, hyphens; an internationalised one in its punycode form), an IPv4 address or a bracketed IPv6 one.
 * Nothing else: each origin is written into the definition as a single-quoted static mapping value
 * (`'https://app.example.com'`, which has no escape for a quote: developer guide, "Set up data mappings") and into
 * the preflight's VTL (where `$` and `#` begin references and directives: Velocity User Guide), so a `'`, `"`, `$`,
 * `#` or `\` there would change the deployed API (issue 23).
 */
const ORIGIN = /^https?:\/\/(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

function origins(reader: KeyReader): string[] {
  const text = reader.get('corsOrigins');
  if (text === '') return [];
  const list = text.startsWith('[') ? parseJsonList(reader, text) : text.split(',').map((o) => o.trim()).filter(Boolean);
  for (const origin of list) {
    const port = /:(\d{1,5})$/.exec(origin)?.[1];
    if (origin !== '*' && (!ORIGIN.test(origin) || (port !== undefined && Number(port) > 65535))) {
      refuse(reader, 'corsOrigins', text, `"${origin}" is not an origin: use "*" or scheme://host[:port] without a path, comma-separated, the host a DNS name (punycode, xn--, for other scripts), an IPv4 address or an [IPv6] one, the port at most 65535`);
    }
  }
  return [...new Set(list)];
}

function binaryMediaTypes(reader: KeyReader): string[] {
  const text = reader.get('binaryMediaTypes');
  const list = text.split(',').map((t) => t.trim()).filter(Boolean);
  for (const type of list) {
    if (!BINARY_MEDIA_TYPE.test(type)) refuse(reader, 'binaryMediaTypes', text, `"${type}" is not a media type: use type/subtype, type/* or */* without parameters, comma-separated (e.g. image/png,application/pdf)`);
  }
  return [...new Set(list.map((t) => t.toLowerCase()))];
}

/** The largest `minimumCompressionSize` API Gateway takes: 10485760 bytes (developer guide, "Payload compression for REST APIs"). */
export const MAX_MINIMUM_COMPRESSION_SIZE = 10485760;

function minimumCompressionSize(reader: KeyReader): { minimumCompressionSize?: number } {
  const text = reader.get('minimumCompressionSize');
  if (text === '') return {};
  const value = Number(text);
  if (!/^\d+$/.test(text) || value > MAX_MINIMUM_COMPRESSION_SIZE) {
    refuse(reader, 'minimumCompressionSize', text, `expected a whole number of bytes from 0 to ${MAX_MINIMUM_COMPRESSION_SIZE} (API Gateway's range), or empty for no compression`, 'pulumi config set minimumCompressionSize 1024 (or pulumi config rm minimumCompressionSize)');
  }
  return { minimumCompressionSize: value };
}

function parseJsonList(reader: KeyReader, text: string): string[] {
  try {
    const value = JSON.parse(text) as unknown;
    if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  } catch {
    // fall through to the error below
  }
  return refuse(reader, 'corsOrigins', text, 'expected a comma-separated list or a JSON array of origins');
}
