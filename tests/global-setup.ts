import path from 'node:path';
import { bundleLambda } from '../infra/src/bundle/bundle';
import { PARCELS } from './support/apps';

/**
 * Once for the whole run: builds the package (infra/dist: what the `koa-apigateway` bin and a Pulumi program
 * load; skipped when it is newer than infra/src), then the Lambda bundle of the product's test app (parcels,
 * into its project's dist/lambda, as `koa-apigateway build` does there), so tests invoke the real artifact, not
 * only the source.
 */
export default async function setup(): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { build } = require(path.join(__dirname, '..', 'infra', 'scripts', 'build.cjs')) as { build: (options?: { force?: boolean }) => boolean };
  build();
  await bundleLambda({ root: PARCELS.dir });
}
