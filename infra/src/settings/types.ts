/**
 * The deployment's settings as the program and the local gateway use them: one typed object, parsed from the
 * raw config keys (./parse.ts) read from Pulumi config by the Pulumi program (infra/src/pulumi/config.ts) or
 * from the stack files by the commands (./stack-files.ts), so both behave alike. Types only.
 */
export type QuotaPeriod = 'DAY' | 'WEEK' | 'MONTH';
export type LoggingLevel = 'OFF' | 'ERROR' | 'INFO';
export type Architecture = 'arm64' | 'x86_64';

/**
 * One config key of the app itself (not the gateway's), declared in its descriptor's
 * `settings`, not in Pulumi.yaml: read by the same strict reader as the gateway's keys.
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

/**
 * The gateway's settings, each read from its config key (named in each field's note); every default is the
 * key's in ./keys.ts, the one table of keys, and is written nowhere else.
 */
export interface GatewaySettings {
  /** Stage name, also the first path segment of every URL (`/dev/...`): `stageName`. */
  stageName: string;
  /**
   * Usage plan throttle, per API key: steady requests per second (`rateLimit`) and bucket size (`burstLimit`).
   * Protects the API from any one client (API Gateway's per-client limits).
   */
  throttle: { rateLimit: number; burstLimit: number };
  /**
   * Stage throttle, the `*\/*` method settings: steady requests per second (`stageRateLimit`) and bucket size
   * (`stageBurstLimit`) of each method, all clients together, public routes included. Protects the function
   * and the account's regional API Gateway quota (API Gateway's per-API, per-stage limits).
   */
  stageThrottle: { rateLimit: number; burstLimit: number };
  /** Usage plan quota: requests (`quotaLimit`) per period (`quotaPeriod`). */
  quota: { limit: number; period: QuotaPeriod };
  lambda: {
    /** MB: `lambdaMemorySize`. */
    memorySize: number;
    /** Seconds: `lambdaTimeout` (API Gateway's integration timeout is the default). */
    timeoutSeconds: number;
    /** `lambdaArchitecture`. */
    architecture: Architecture;
    /** `lambdaRuntime`. */
    runtime: string;
  };
  /** CloudWatch log retention in days for the function and access logs: `logRetentionDays`. */
  logRetentionDays: number;
  /** Stage execution logging level: `loggingLevel`. */
  loggingLevel: LoggingLevel;
  /** Logs full requests and responses, bodies included: `dataTraceEnabled`. */
  dataTraceEnabled: boolean;
  /** CloudWatch metrics for every method: `metricsEnabled`. */
  metricsEnabled: boolean;
  /** Allowed CORS origins (`corsOrigins`); empty means no CORS. */
  corsOrigins: string[];
  /**
   * The app-wide binary media types (`binaryMediaTypes`), besides those the routes declare: `type/subtype`, `type/*`
   * or `*\/*`, lower-cased, deduplicated; empty: only the routes' own (docs/binary.md).
   */
  binaryMediaTypes: string[];
  /**
   * Payload compression (`minimumCompressionSize`): the smallest response body in bytes, 0-10485760, API Gateway
   * compresses; absent: compression off, API Gateway's default (docs/compression.md).
   */
  minimumCompressionSize?: number;
  /**
   * The app's own config keys (declared in its descriptor's `settings`) → their values,
   * defaults applied, checked against the declared values: the gateway reads none of them.
   */
  app: Readonly<Record<string, string>>;
  /**
   * The account-level (per region) API Gateway CloudWatch Logs role, which execution and access logs
   * need (docs/api-definition.md "The account's CloudWatch role"): `manageCloudWatchRole`. `auto`: read the account's
   * setting and create the role and the setting only where none is set; `true`: always set this stack's
   * role; `false`: never, and a missing role fails the preview when logs are on. Created ones are kept
   * on `pulumi destroy` (other APIs in the region rely on the setting), and the stack's next `pulumi up`
   * adopts its kept role rather than creating another.
   */
  manageCloudWatchRole: 'auto' | boolean;
  /** The stage's JSON access log to CloudWatch (`accessLogs`). With it off and loggingLevel OFF, no role is needed. */
  accessLogs: boolean;
  /**
   * The Cognito user pool behind user-pool routes (`userPool`, docs/auth.md): `create` (the stack creates a pool, an
   * app client and resource servers for the routes' scopes), an existing pool's ARN (the stack adds an app
   * client and the resource servers to it), or undefined (no user pool, no user-pool routes).
   */
  userPool?: UserPoolSetting;
  /** The custom domain (docs/edge.md): undefined without `domainName`. Parsed by ./edge.ts. */
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
} & (
  | {
      certificate: 'issue';
      hostedZoneId: string;
      /**
       * May the alias record replace an A record of the name that points elsewhere (`dnsAllowOverwrite`)? false (or
       * left out): such a record fails the preview (infra/src/pulumi/edge.ts checkDomainRecords).
       */
      allowOverwrite?: boolean;
    }
  | { certificate: 'arn'; certificateArn: string }
  | { certificate: 'existing' }
);

export interface WafSettings {
  /** A regional WAFv2 web ACL on the stage: `waf`. */
  enabled: boolean;
  /** Requests per 5 minutes from one IP address before WAF blocks it (`wafRateLimit`; WAF's minimum is 10). */
  rateLimit: number;
}

/** The `userPool` key, parsed: a pool the stack creates, or an existing pool (its ARN, region and id). */
export type UserPoolSetting = { mode: 'create' } | { mode: 'existing'; arn: string; region: string; poolId: string };

/**
 * Settings as the component takes them (KoaGatewayArgs.settings): any field may be left out, and so may any
 * field of `throttle`, `stageThrottle`, `quota`, `lambda` and `waf`; each takes its key's default (settingsWithDefaults).
 */
export type GatewaySettingsInput = Partial<Omit<GatewaySettings, 'throttle' | 'stageThrottle' | 'quota' | 'lambda' | 'waf'>> & {
  throttle?: Partial<GatewaySettings['throttle']>;
  stageThrottle?: Partial<GatewaySettings['stageThrottle']>;
  quota?: Partial<GatewaySettings['quota']>;
  lambda?: Partial<GatewaySettings['lambda']>;
  waf?: Partial<WafSettings>;
};
