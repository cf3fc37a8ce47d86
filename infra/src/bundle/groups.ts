import path from 'node:path';
import type { LoadedApp } from '../app/descriptor';
import { bundleLambda, type BundleResult } from './bundle';

/**
 * Builds the Lambda code of each function group in `groups` (the groups of `spec.functions`): one esbuild bundle per
 * distinct entry. A group without an entry of its own (descriptor `functions.<group>.lambda` absent, or naming the
 * app's `lambda`) shares the app's bundle, `<outDir>/index.mjs`; a group with its own is bundled to
 * `<outDir>/<group>/index.mjs`, and groups naming the same entry share the first one's build. Returns a promise of
 * each group's bundle (rejecting with the bundler's error: an AppDescriptorError for a missing entry or one
 * exporting no `handler`, naming the groups built from it, a VisibleError for a validator that cannot be generated). `routes` (group → `METHOD /resource/path`, the routes of
 * `spec.functions`): a bundle of a group's own entry carries the route validators of the groups it serves only (API
 * Gateway invokes that function for those methods alone); the app's shared bundle carries every route's. What `pulumi up` deploys (infra/src/pulumi/program.ts)
 * and `koa-apigateway start` runs (infra/src/local/start.ts) come from this one function, so they bundle alike.
 */
export function bundleFunctionGroups(options: {
  root?: string;
  app: LoadedApp;
  groups: readonly string[];
  outDir: string;
  routes?: Readonly<Record<string, readonly string[]>>;
}): Record<string, Promise<BundleResult>> {
  const { app, groups, outDir, routes } = options;
  const base = { app, ...(options.root ? { root: options.root } : {}) };
  // A group naming the app's own entry shares the app's build.
  const entryOf = (group: string) => (app.functionEntries?.[group] === app.lambdaEntry ? undefined : app.functionEntries?.[group]);
  let shared: Promise<BundleResult> | undefined;
  const byEntry = new Map<string, Promise<BundleResult>>();
  const out: Record<string, Promise<BundleResult>> = {};
  for (const group of groups) {
    const entry = entryOf(group);
    if (entry === undefined) {
      out[group] = shared ??= bundleLambda({ ...base, outDir });
      continue;
    }
    if (!byEntry.has(entry)) {
      // The groups built from this entry (groups naming one entry share its build): their routes, and a build
      // failing for want of `handler` names them.
      const sharing = groups.filter((g) => entryOf(g) === entry);
      const served = routes ? sharing.flatMap((g) => routes[g] ?? []) : undefined;
      byEntry.set(entry, bundleLambda({ ...base, outDir: path.join(outDir, group), entry, groups: sharing, ...(served ? { routes: served } : {}) }));
    }
    out[group] = byEntry.get(entry)!;
  }
  return out;
}
