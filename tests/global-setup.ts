import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { bundleLambda } from '../infra/src/bundle/bundle';
import { PARCELS } from './support/apps';
import { removeInBackground } from './support/process';

/**
 * Once for the whole run: builds the package (infra/dist: what the `koa-apigateway` bin and a Pulumi program
 * load; skipped when it is newer than infra/src), then the Lambda bundle of the product's test app (parcels,
 * into its project's dist/lambda, as `koa-apigateway build` does there), so tests invoke the real artifact, not
 * only the source. Provides `adoptionRoot`, the run's folder (outside the repository) for the project the
 * adoption test files share (tests/support/adoption.ts); returns the teardown that removes it.
 */
export default async function setup(project: TestProject): Promise<() => void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { build } = require(path.join(__dirname, '..', 'infra', 'scripts', 'build.cjs')) as { build: (options?: { force?: boolean }) => boolean };
  build();
  await bundleLambda({ root: PARCELS.dir });
  const adoptionRoot = mkdtempSync(path.join(tmpdir(), 'adoption-'));
  project.provide('adoptionRoot', adoptionRoot);
  return () => {
    // The adopted project holds @pulumi/aws and the package's dependencies: the run does not wait for its removal.
    removeInBackground(adoptionRoot);
  };
}
