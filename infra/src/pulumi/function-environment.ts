import { BINARY_MEDIA_TYPES_VARIABLE } from '../lambda/binary';
import type { GatewaySettings } from '../settings/types';

/**
 * Returns the Lambda function's own environment variables (name → value) for `settings`: what the
 * gateway component deploys, before the app's own variables (the component's `environment`) are added.
 * Only what the runtime reads: `CORS_ORIGINS` (infra/src/route/cors.ts parseOrigins), and with binary media types
 * `BINARY_MEDIA_TYPES` (`binaryMediaTypes`: the API's, the plan's binaryMediaTypesOf), which lambdaHandler reads to
 * send those responses base64-encoded (docs/binary.md). In the environment rather than the bundle: the stack's
 * `binaryMediaTypes` setting changes them without changing the code, and one bundle serves every stack.
 * One definition for the program and for `npm run bench`, which runs every bundle with exactly this
 * environment, so the benchmark measures the function as deployed.
 *
 * No `NODE_OPTIONS=--enable-source-maps`: with it Node reads and parses the bundle's source map (about
 * 650 KB) at every cold start, 5-6 ms of it. Stack traces are still mapped to the TypeScript source:
 * the service maps a stack when it logs an error (infra/src/route/stack-trace.ts), reading the map then.
 */
export function functionEnvironment(settings: Pick<GatewaySettings, 'corsOrigins'>, binaryMediaTypes: readonly string[] = []): Record<string, string> {
  return {
    CORS_ORIGINS: settings.corsOrigins.join(','),
    ...(binaryMediaTypes.length > 0 ? { [BINARY_MEDIA_TYPES_VARIABLE]: binaryMediaTypes.join(',') } : {}),
  };
}
