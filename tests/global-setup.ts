import { bundleLambda } from '../infra/bundle';

/** Builds the Lambda bundle once for the whole run: tests invoke the real artifact, not only the source. */
export default async function setup(): Promise<void> {
  await bundleLambda();
}
