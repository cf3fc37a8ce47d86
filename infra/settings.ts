/**
 * The deployment's settings: one typed object read from Pulumi config by the Pulumi program and
 * from Pulumi.yaml + Pulumi.<stack>.yaml by the local emulator, so both behave alike.
 * Defaults and descriptions live in Pulumi.yaml; parsing and checks live here.
 */
export type QuotaPeriod = 'DAY' | 'WEEK' | 'MONTH';
export type LoggingLevel = 'OFF' | 'ERROR' | 'INFO';
export type Architecture = 'arm64' | 'x86_64';
export type StorageBackend = 'memory' | 'dynamodb';

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
  /** Where todos live: default `dynamodb` for deployed stacks. */
  storage: StorageBackend;
  /** Create the account-level API Gateway CloudWatch role and set it (default false: see README). */
  manageCloudWatchRole: boolean;
}
