/**
 * The files `koa-apigateway init` writes into a Koa project, as text: Pulumi.yaml, the dev stack, the Pulumi
 * program, the app descriptor and the Lambda entry. Each says in a comment what it is for; where init could not
 * find what goes in, the place is marked {@link FILL_IN} and the file still loads, failing with a message that
 * names the file and what to write.
 */
import type { PackageManager } from './package-json';

/** The mark of a place the user must fill in (init prints each one with its file and line). */
export const FILL_IN = 'FILL IN';

/** The region the dev stack deploys to unless the user chooses another. */
export const DEFAULT_REGION = 'us-east-1';

/** The loader Pulumi runs an ES module project's program through (Pulumi.yaml `runtime.options.nodeargs`). */
export const ESM_NODEARGS = '--import tsx';

/**
 * Returns Pulumi.yaml: the project `name`, its program `main`, Node.js, and no `config:` block. How Node loads
 * the program:
 * - a CommonJS project (`esm` false): Pulumi's TypeScript support (ts-node, CommonJS), with `tsconfig`, the
 *   tsconfig Pulumi compiles with, when the project's own cannot serve (`tsconfigReason` says why);
 * - an ES module project (`esm`: package.json `"type": "module"`): through tsx, `nodeargs: --import tsx`, with
 *   Pulumi's own TypeScript support off (`typescript: false`). Pulumi's docs ("Native ESM Support",
 *   https://www.pulumi.com/docs/iac/languages-sdks/javascript/#native-esm-support) name tsx as the loader to give
 *   in `nodeargs` (which turns Pulumi's automatic ts-node/esm mode off); its automatic mode needs ts-node 10,
 *   whose type-check of an ES module resolves packages as CommonJS under TypeScript 5.9 (a default import of
 *   @koa/router is "not constructable"), and without ts-node Node imports index.ts only from 22.18 on (type
 *   stripping). `typescript: false` keeps Pulumi from also registering ts-node for `require`, which would compile
 *   tsx's output a second time (https://www.pulumi.com/docs/iac/languages-sdks/javascript/#disabling-built-in-typescript-support).
 */
export function pulumiYaml(options: { project: string; description: string; main: string; packageManager: PackageManager; esm?: boolean; tsconfig?: { file: string; reason: string } }): string {
  const tsconfig = options.tsconfig
    ? `
    # tsconfig.json's ${options.tsconfig.reason} cannot pair with the nodenext module settings of Pulumi's
    # TypeScript compile (TypeScript refuses the mix): Pulumi compiles with ${options.tsconfig.file}, which extends it.
    tsconfig: ${options.tsconfig.file}`
    : '';
  const loading = options.esm
    ? `    # This package is an ES module ("type": "module" in package.json): Node loads ${options.main} and what it
    # imports through tsx (${ESM_NODEARGS}), as the koa-apigateway commands do; Pulumi's own TypeScript support
    # (ts-node) is off. \`tsc --noEmit\` type-checks (relative imports name their .js file: ./src/app.js).
    typescript: false
    nodeargs: ${ESM_NODEARGS}`
    : `    # Pulumi compiles ${options.main} with ts-node (this project's typescript and tsconfig) and loads it as CommonJS.
    typescript: true${tsconfig}`;
  return `# The Pulumi project of this app (written by koa-apigateway init): \`pulumi up\` runs ${options.main}.
name: ${options.project}
description: ${yamlString(options.description)}
main: ${options.main}
runtime:
  name: nodejs
  options:
${loading}
    packagemanager: ${options.packageManager}
# No \`config:\` block: every gateway setting (stageName, rateLimit, quotaLimit, lambdaMemorySize, corsOrigins, ...)
# has its default in the koa-apigateway package, applied when a stack does not set it, so a later version's
# defaults reach this project. Set one for a stack with \`pulumi config set rateLimit 50\` (it is written to
# Pulumi.<stack>.yaml as ${options.project}:rateLimit). The settings and their defaults: "Settings" in
# node_modules/koa-apigateway/README.md, and node_modules/koa-apigateway/docs/configuration.md.
`;
}

/** Returns Pulumi.dev.yaml: the dev stack's region. */
export function stackYaml(region: string = DEFAULT_REGION): string {
  return `# The dev stack (pulumi stack init dev): the one koa-apigateway start, synth and openapi read unless told another.
config:
  # The AWS region every resource of this stack is created in; change it before the first pulumi up.
  aws:region: ${region}
`;
}

/** Returns the Pulumi program: the app described by app.config.ts, deployed in one call. */
export function programTs(): string {
  return `/**
 * The Pulumi program (\`pulumi up\` runs it; Pulumi.yaml \`main\`): the Koa app described by app.config.ts,
 * deployed to API Gateway (REST) and Lambda by koa-apigateway. deployApp() reads the descriptor and the stack's
 * settings, plans the routes, bundles the Lambda entry with esbuild and creates the gateway; a bad setting or a
 * route API Gateway cannot serve fails here, at pulumi preview (before pulumi up changes anything), naming the fix.
 */
import { deployApp } from 'koa-apigateway/pulumi';

// The stack outputs: pulumi stack output url; pulumi stack output apiKey --show-secrets; pulumi stack output functions
// (each function group's function, routes, memory and timeout: docs/functions.md).
export const { url, apiKey, routes, authorization, functions } = deployApp();
`;
}

/** How the descriptor and the Lambda entry reach the app's factory. */
export type FactoryImport =
  /** Found: `import { <exportName> } from '<specifier>'` (or a default import as `<local>`), called with no arguments unless `arguments` says. */
  | { kind: 'found'; specifier: string; exportName: string; local: string; needsArguments: boolean }
  /** Not found (none, several, or unusable): a marked place, with what init saw in `hint` (comment lines). */
  | { kind: 'fill-in'; hint: string[] };

/** The fields of the descriptor init knows. */
export interface DescriptorFields {
  name: string;
  title: string;
  version: string;
  lambda: string;
  watch: string[];
}

/** Returns the import line of a found factory (`import { createApp } from './src/app';`, or a default import). */
function importLine(factory: Extract<FactoryImport, { kind: 'found' }>): string {
  if (factory.exportName === 'default') return `import ${factory.local} from '${factory.specifier}';`;
  return factory.local === factory.exportName ? `import { ${factory.exportName} } from '${factory.specifier}';` : `import { ${factory.exportName} as ${factory.local} } from '${factory.specifier}';`;
}

/** Returns the call of a found factory: `createApp()`, with a marked argument list when it takes required parameters. */
function factoryCall(factory: Extract<FactoryImport, { kind: 'found' }>): string {
  return factory.needsArguments ? `${factory.local}(/* ${FILL_IN}: the arguments ${factory.local} needs */)` : `${factory.local}()`;
}

/**
 * Returns app.config.ts: the app descriptor (defineApp) with `fields` and the app's factory, or a marked place
 * for it; `esm` (an ES module project) writes the example import with its `.js` file name, as Node needs it.
 */
export function appConfigTs(fields: DescriptorFields, factory: FactoryImport, esm = false): string {
  const header = `/**
 * The app koa-apigateway deploys and serves, read by the Pulumi program (index.ts) and by every command
 * (koa-apigateway start, dev, synth, openapi, conformance, verify, client, build). Written by koa-apigateway init; yours to edit.
 * Paths are relative to this file.
 */`;
  const fieldsText = (createApp: string) => `export default defineApp({
  // The prefix of every AWS resource name (lower case, at most 24 characters): renaming it replaces the resources of a deployed stack.
  name: ${tsString(fields.name)},
  // The API's title and version in its OpenAPI document (deployed, koa-apigateway openapi, /openapi.json of start).
  title: ${tsString(fields.title)},
  version: ${tsString(fields.version)},
  // Returns the Koa app with every route mounted, without listening: the gateway is planned from its routes.
${createApp}
  // The Lambda entry (it exports \`handler\`), bundled by esbuild for every deployment.
  lambda: ${tsString(fields.lambda)},
  // The folders koa-apigateway dev watches for changes.
  watch: [${fields.watch.map(tsString).join(', ')}],
});
`;
  if (factory.kind === 'found') {
    return `${header}
import { defineApp } from 'koa-apigateway';
${importLine(factory)}

${fieldsText(`  createApp: () => ${factoryCall(factory)},`)}`;
  }
  return `${header}
import type Koa from 'koa';
import { defineApp, VisibleError } from 'koa-apigateway';
// ${FILL_IN}: import the function that returns your Koa app, e.g. import { createApp } from './src/app${esm ? '.js' : ''}';
${factory.hint.map((line) => `// ${line}`).join('\n')}

${fieldsText(`  createApp: (): Koa => {
    // ${FILL_IN}: return your Koa app here (e.g. return createApp();), and remove the line below.
    throw new VisibleError('app.config.ts: createApp is not filled in. Fix: import the function that returns your Koa app and return its app from createApp (see the comment at the top of app.config.ts).');
  },`)}`;
}

/** Returns the Lambda entry: koa-apigateway's adapter around the app built by the factory (or a marked place for it). */
export function lambdaTs(factory: FactoryImport): string {
  const header = `/**
 * The Lambda entry (app.config.ts \`lambda\`): koa-apigateway's adapter around the Koa app, which API Gateway
 * invokes for every request. The app is built once per cold start and reused by every invocation of the instance.
 * Written by koa-apigateway init; yours to edit.
 */
import { lambdaHandler } from 'koa-apigateway/lambda';`;
  if (factory.kind === 'found') {
    return `${header}
${importLine(factory)}

export const handler = lambdaHandler(${factoryCall(factory)});
`;
  }
  return `${header}
import type Koa from 'koa';
// ${FILL_IN}: import the function that returns your Koa app (the one app.config.ts returns from createApp).

function buildApp(): Koa {
  // ${FILL_IN}: return your Koa app here (e.g. return createApp();), and remove the line below.
  throw new Error('The Lambda entry is not filled in: return your Koa app from buildApp (see the comment above it).');
}

export const handler = lambdaHandler(buildApp());
`;
}

/** A TypeScript string literal of `text`, single-quoted as the project's own files are. */
function tsString(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
}

/** YAML for a one-line string: plain when safe, else double-quoted (JSON's escapes are YAML's). */
function yamlString(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return /^[A-Za-z0-9][^:#'"{}[\],&*!|>%@`]*$/.test(line) ? line : JSON.stringify(line);
}
