import { GATEWAY_TIMEOUT_SECONDS } from '../core/limits';

/**
 * The gateway's config keys: ONE table, the single source of every key's type, default, allowed values and
 * description. The parser (./parse.ts) reads its defaults and allowed values from it; the repository's
 * Pulumi.yaml `config:` block and the key table of docs/configuration.md are checked against it
 * (tests/project/config-keys.test.ts), as Fastify generates its defaults and docs from one table. An app's
 * own keys are not here: it declares them in its descriptor's `settings`.
 */

/** Pulumi config's types for a declared key (Pulumi.yaml `config:` `type`). */
export type KeyType = 'string' | 'integer' | 'boolean';

/** One config key of the gateway. */
export interface KeySpec {
  /** The key's type as Pulumi.yaml declares it. */
  type: KeyType;
  /** The value when the stack does not set the key, as Pulumi config holds it (a string: `'100'`, `'true'`, `''`). */
  default: string;
  /** The values the key accepts (matched case-insensitively), when it is a choice; omitted: any value its parser accepts. */
  values?: readonly string[];
  /** What the key means, in one paragraph of plain text: Pulumi.yaml's `description` and the docs' table say exactly this. */
  description: string;
  /** Where the docs explain the key further, relative to docs/ (`edge.md#custom-domain`); omitted: the table says it all. */
  docs?: string;
}

/** The retention values CloudWatch Logs accepts (PutRetentionPolicy). */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

/** Every config key of the gateway, in the order messages list them ("Known keys: ..."). */
export const GATEWAY_KEYS = {
  stageName: {
    type: 'string',
    default: 'dev',
    description: 'API Gateway stage name; the first path segment of every URL (/dev/...). Letters, digits, - and _.',
  },
  rateLimit: {
    type: 'integer',
    default: '100',
    description: 'Usage plan throttle, steady requests per second per API key: protects the API from any one client.',
    docs: 'configuration.md#throttling-the-stage-and-each-key',
  },
  burstLimit: {
    type: 'integer',
    default: '200',
    description: 'Usage plan throttle, bucket size (requests allowed in a burst) per API key: protects the API from any one client.',
    docs: 'configuration.md#throttling-the-stage-and-each-key',
  },
  stageRateLimit: {
    type: 'integer',
    default: '1000',
    description:
      "Stage throttle, steady requests per second each method lets through, all clients together (keys, tokens and public routes): protects the function and the account's API Gateway quota shared by every API of the region. At or above rateLimit.",
    docs: 'configuration.md#throttling-the-stage-and-each-key',
  },
  stageBurstLimit: {
    type: 'integer',
    default: '1000',
    description:
      "Stage throttle, bucket size (requests let in at once) of each method, all clients together: protects the function (Lambda's default concurrency is 1,000 per region). At or above burstLimit.",
    docs: 'configuration.md#throttling-the-stage-and-each-key',
  },
  quotaLimit: {
    type: 'integer',
    default: '10000',
    description: 'Usage plan quota, requests per quotaPeriod per API key.',
  },
  quotaPeriod: {
    type: 'string',
    default: 'DAY',
    values: ['DAY', 'WEEK', 'MONTH'],
    description: 'Usage plan quota period, DAY, WEEK or MONTH.',
  },
  lambdaMemorySize: {
    type: 'integer',
    default: '512',
    description: 'Lambda memory in MB (128-10240); CPU scales with it.',
  },
  lambdaTimeout: {
    type: 'integer',
    default: String(GATEWAY_TIMEOUT_SECONDS),
    description: `Lambda timeout in seconds; API Gateway gives up after ${GATEWAY_TIMEOUT_SECONDS} s, so more only wastes money (a warning says so).`,
  },
  lambdaArchitecture: {
    type: 'string',
    default: 'arm64',
    values: ['arm64', 'x86_64'],
    description: 'Lambda architecture, arm64 (cheaper) or x86_64.',
  },
  lambdaRuntime: {
    type: 'string',
    default: 'nodejs22.x',
    description: 'Lambda Node.js runtime, nodejs22.x or newer (the bundle targets Node 22).',
  },
  logRetentionDays: {
    type: 'integer',
    default: '7',
    values: LOG_RETENTION_DAYS.map(String),
    description: "CloudWatch retention in days of the function's, the access and the execution log groups (a value CloudWatch accepts: 1, 3, 5, 7, 14, 30, ...).",
  },
  loggingLevel: {
    type: 'string',
    default: 'INFO',
    values: ['OFF', 'ERROR', 'INFO'],
    description: 'API Gateway execution logging level for every method, OFF, ERROR or INFO (ERROR and INFO need the account CloudWatch role, see manageCloudWatchRole).',
    docs: 'deploy.md#the-accounts-cloudwatch-role',
  },
  dataTraceEnabled: {
    type: 'boolean',
    default: 'false',
    description: 'Log full requests and responses, bodies and headers included. Off by default (it logs personal data); on in the dev stack.',
  },
  metricsEnabled: {
    type: 'boolean',
    default: 'true',
    description: 'Detailed CloudWatch metrics for every method.',
  },
  corsOrigins: {
    type: 'string',
    default: '',
    description:
      'Comma-separated allowed CORS origins: scheme://host[:port] with a DNS name (punycode for other scripts) or IP address as host, e.g. https://app.example.com, or *. When set, every resource answers an OPTIONS preflight without the key and gateway errors (403, 429, 4XX, 5XX) carry CORS headers; empty means no CORS.',
  },
  binaryMediaTypes: {
    type: 'string',
    default: '',
    description:
      "Comma-separated media types the API treats as binary for the whole app, besides those its routes declare (route option binary): type/subtype, type/* or */*, e.g. image/png,application/pdf. API Gateway passes a request body of such a type to the function base64-encoded and decodes a base64 response for a client whose Accept names one; empty (default) means only the routes' own.",
    docs: 'binary.md',
  },
  minimumCompressionSize: {
    type: 'string',
    default: '',
    description:
      "Payload compression: the smallest response body, in bytes (0-10485760), that API Gateway compresses with gzip or deflate for a client whose Accept-Encoding asks for one; empty (default) means no compression, API Gateway's default.",
    docs: 'compression.md',
  },
  manageCloudWatchRole: {
    type: 'string',
    default: 'auto',
    values: ['auto', 'true', 'false'],
    description:
      "The account-level (per region) API Gateway CloudWatch Logs role that stage logs need. auto reads the account's setting and creates the role and the setting only where none is set; true always sets this stack's role; false never does (then a missing role fails pulumi preview and pulumi up while logs are on). Created ones are kept on pulumi destroy, and a later pulumi up adopts the kept role instead of creating another.",
    docs: 'deploy.md#the-accounts-cloudwatch-role',
  },
  accessLogs: {
    type: 'boolean',
    default: 'true',
    description: "The stage's JSON access log in CloudWatch (one line per request, no bodies or keys). With accessLogs false and loggingLevel OFF the stack needs no account CloudWatch role.",
  },
  userPool: {
    type: 'string',
    default: '',
    description:
      "The Cognito user pool of routes that require a user pool token. create makes the stack create a pool with an app client and resource servers for the routes' scopes; an existing pool's ARN (arn:aws:cognito-idp:REGION:ACCOUNT:userpool/ID) adds the app client and resource servers to it; empty (default) means no user pool, and the app mounts no route that needs a token (createApp gets userPool false).",
    docs: 'auth.md#configuration',
  },
  domainName: {
    type: 'string',
    default: '',
    description: 'Custom domain of the API (api.example.org), a REGIONAL API Gateway domain with TLS 1.2. Needs hostedZoneId or certificateArn, or domainOwner false.',
    docs: 'edge.md#custom-domain',
  },
  hostedZoneId: {
    type: 'string',
    default: '',
    description: 'Route 53 hosted zone of domainName. The stack issues a regional ACM certificate validated by DNS in this zone and creates the alias record.',
    docs: 'edge.md#recipe-the-stack-issues-the-certificate-route-53',
  },
  certificateArn: {
    type: 'string',
    default: '',
    description: "Your own ACM certificate for domainName, in the stack's region (instead of hostedZoneId); the DNS record pointing at the domain is then yours to create (output domainTarget).",
    docs: 'edge.md#recipe-bring-your-own-certificate',
  },
  basePath: {
    type: 'string',
    default: '',
    description: 'Base path the stage is mapped at on domainName (v1 serves https://api.example.org/v1/...); empty maps the whole domain.',
    docs: 'edge.md#base-path',
  },
  domainOwner: {
    type: 'boolean',
    default: 'true',
    description: "false reuses domainName created by another stack (its certificate and DNS record too) and only maps this stack's basePath on it.",
    docs: 'edge.md#versions-side-by-side',
  },
  dnsAllowOverwrite: {
    type: 'boolean',
    default: 'false',
    description:
      "true lets the stack replace an A record for domainName that already exists in hostedZoneId and points elsewhere (pulumi preview warns that it takes it over); false (default) fails pulumi preview naming the record and the fix, so no record is taken over silently.",
    docs: 'edge.md#an-existing-dns-record-for-the-name',
  },
  waf: {
    type: 'boolean',
    default: 'false',
    description:
      'A regional WAFv2 web ACL on the stage, AWS managed rule groups (common rule set, known bad inputs, IP reputation) and a per-IP rate rule (wafRateLimit), logs in CloudWatch. Billed per web ACL, rule and request.',
    docs: 'edge.md#waf',
  },
  wafRateLimit: {
    type: 'integer',
    default: '1000',
    description: "Requests per 5 minutes one IP address may send before the web ACL blocks it with 403 (WAF's minimum is 10).",
    docs: 'edge.md#waf',
  },
} as const satisfies Record<string, KeySpec>;

/** A config key of the gateway. */
export type SettingKey = keyof typeof GATEWAY_KEYS;

/** Every gateway key, in the table's order. */
export const SETTING_KEYS = Object.keys(GATEWAY_KEYS) as SettingKey[];

/** Every gateway key → its default (as the string Pulumi config holds), read from {@link GATEWAY_KEYS}. */
export const SETTING_DEFAULTS = Object.fromEntries(SETTING_KEYS.map((key) => [key, GATEWAY_KEYS[key].default])) as { readonly [K in SettingKey]: (typeof GATEWAY_KEYS)[K]['default'] };

/** True when `key` is one of the gateway's keys. */
export function isSettingKey(key: string): key is SettingKey {
  return Object.hasOwn(GATEWAY_KEYS, key);
}

/** One key as Pulumi.yaml `config:` declares it: the default typed as the key is (`100`, `false`, `''`). */
export interface ProjectConfigDeclaration {
  type: KeyType;
  default: string | number | boolean;
  description: string;
}

/**
 * Returns the gateway's keys as a Pulumi.yaml `config:` block declares them (Pulumi project file reference,
 * "config": `type`, `default`, `description`), in the table's order: what a project's Pulumi.yaml may list so
 * that `pulumi config` shows the keys and their defaults.
 */
export function projectConfigDeclarations(): Record<SettingKey, ProjectConfigDeclaration> {
  const typed = (spec: KeySpec): string | number | boolean => (spec.type === 'integer' ? Number(spec.default) : spec.type === 'boolean' ? spec.default === 'true' : spec.default);
  return Object.fromEntries(SETTING_KEYS.map((key) => {
    const spec: KeySpec = GATEWAY_KEYS[key];
    return [key, { type: spec.type, default: typed(spec), description: spec.description }];
  })) as Record<SettingKey, ProjectConfigDeclaration>;
}
