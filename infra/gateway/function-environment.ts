import type { GatewaySettings } from '../settings';

/**
 * Returns the Lambda function's own environment variables (name → value) for `settings`: what the
 * gateway component deploys, before the storage's `TODOS_TABLE` and any extra variables are added.
 * One definition for the program and for `npm run bench`, which runs every bundle with exactly this
 * environment, so the benchmark measures the function as deployed.
 */
export function functionEnvironment(settings: Pick<GatewaySettings, 'stageName' | 'storage' | 'corsOrigins'>): Record<string, string> {
  return {
    // The bundle ships its source map: stack traces point at the TypeScript source.
    NODE_OPTIONS: '--enable-source-maps',
    STAGE_NAME: settings.stageName,
    STORAGE: settings.storage,
    CORS_ORIGINS: settings.corsOrigins.join(','),
  };
}
