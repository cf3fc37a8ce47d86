import path from 'node:path';

/**
 * The package's own files, found from where this module is: `src/package-files.ts` when the source runs
 * (vitest, the bundler), `dist/package-files.js` when the build does (the bin, Pulumi's ts-node). Both sit one
 * level under the package's folder, wherever it is installed (node_modules/koa-apigateway, or a workspace):
 * these are the package's paths, deliberately relative to it, never to a project's or a repository's root.
 * A project's files (Pulumi.yaml, app.config.ts, dist/lambda, .local) are found from the project root instead
 * (project.ts).
 */
const PACKAGE_DIR = path.resolve(__dirname, '..');

/** Returns the absolute path of a file of this package (`packageFile('package.json')`, `packageFile('src', 'route', 'validators.ts')`). */
export function packageFile(...segments: string[]): string {
  return path.join(PACKAGE_DIR, ...segments);
}
