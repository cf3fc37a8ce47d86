/**
 * Whether `pulumi up` can load the program that `koa-apigateway synth` loads. synth runs it through tsx (the CLI
 * registers it: infra/src/cli/main.ts), which finds a relative import without its file extension in an ES module
 * too. The Pulumi CLI's Node.js runtime (@pulumi/pulumi cmd/run) imports an ES module program (package.json
 * `"type": "module"`) with its own TypeScript support (ts-node; Pulumi.yaml `runtime.options.typescript`, on by
 * default) unless `nodeargs` name a loader of the project's own (`--import tsx`, `--loader ...`; Pulumi's docs,
 * "Native ESM Support": https://www.pulumi.com/docs/iac/languages-sdks/javascript/#native-esm-support). Its files,
 * the program's and the descriptor's that `deployApp()` requires, then go through Node's ES module resolution,
 * which finds a relative import only by its full file name (https://nodejs.org/api/esm.html#mandatory-file-extensions),
 * and through ts-node's type-check under `module: nodenext`, which refuses it too (TS2835: "Relative import paths
 * need explicit file extensions"). `./app.js` for app.ts passes both: TypeScript and ts-node map it to the source.
 *
 * The check reads the import graph of the program and the descriptor, the project's own files (packages are not
 * followed), with esbuild's parser, and names each relative import of an ES module file that is not the full
 * name of its file: the cheapest faithful reading of how Pulumi loads it, without compiling or running anything.
 * It sees the imports esbuild keeps (a type-only import is dropped, so not checked).
 */
import { build, type Plugin } from 'esbuild';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ProgramLoadError } from '../../errors';
import { isEsModuleFile } from '../../project';

/** How the Pulumi CLI runs the program, from Pulumi.yaml `runtime.options`. */
export interface ProgramRuntime {
  /** Pulumi's own TypeScript support (ts-node): `typescript`, true unless set false. */
  typescript: boolean;
  /** What `nodeargs` passes to Node (`--import tsx`), or ''. */
  nodeargs: string;
}

/** Returns how Pulumi runs the program of the project at `root`: Pulumi.yaml's `runtime.options` (`runtime: nodejs` alone: the defaults). */
export function programRuntime(root: string): ProgramRuntime {
  const file = ['Pulumi.yaml', 'Pulumi.yml'].map((name) => path.join(root, name)).find((f) => existsSync(f));
  let options: Record<string, unknown> = {};
  try {
    const runtime = file ? (parseYaml(readFileSync(file, 'utf8')) as { runtime?: unknown } | undefined)?.runtime : undefined;
    if (runtime && typeof runtime === 'object') options = ((runtime as { options?: Record<string, unknown> }).options ?? {}) as Record<string, unknown>;
  } catch {
    // A Pulumi.yaml that does not parse fails elsewhere with its own message (readStackConfig).
  }
  return { typescript: options.typescript !== false && options.typescript !== 'false', nodeargs: typeof options.nodeargs === 'string' ? options.nodeargs : '' };
}

/** True when `nodeargs` load modules through something of the project's own (Pulumi then registers no ESM loader). */
function hasLoader(nodeargs: string): boolean {
  return /(?:^|\s)(?:--import|--loader|--experimental-loader|--require|-r)(?:[=\s]|$)/.test(nodeargs);
}

/** One relative import of an ES module file that Node would not find as written. */
export interface UnloadableImport {
  /** The importing file, relative to the project root (`app.config.ts`). */
  file: string;
  /** Its 1-based line. */
  line: number;
  /** The specifier as written (`./src/app`). */
  specifier: string;
  /** The specifier Node and TypeScript both accept (`./src/app.js`). */
  fix: string;
}

/**
 * Returns the relative imports of ES module files in the import graph of `entries` (absolute paths) that name no
 * file as Node's ES module resolution needs it: the full name of the file, or of its `.js`/`.mjs`/`.cjs`/`.jsx`
 * twin for a `.ts`/`.mts`/`.cts`/`.tsx` source. Packages are not followed. `root` makes the reported paths relative.
 */
export async function unloadableImports(root: string, entries: readonly string[]): Promise<UnloadableImport[]> {
  const found = new Map<string, UnloadableImport>();
  // Marks esbuild's own resolution of an import (b.resolve below), which this plugin must let through.
  const RESOLVING = 'koaApigatewayResolving';
  const plugin: Plugin = {
    name: 'koa-apigateway-esm-specifiers',
    setup(b) {
      b.onResolve({ filter: /^\.\.?(?:\/|$)/ }, async (args) => {
        if ((args.pluginData as Record<string, unknown> | undefined)?.[RESOLVING] || !args.importer || !isEsModuleFile(args.importer)) return undefined;
        if (args.kind !== 'import-statement' && args.kind !== 'dynamic-import') return undefined;
        const target = await b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: { [RESOLVING]: true } });
        if (target.errors.length > 0 || !target.path) return undefined;
        if (namesFile(path.resolve(args.resolveDir, args.path), target.path)) return undefined;
        // What Node and TypeScript accept: the target's JavaScript name (a .tsx source is imported as .js too).
        let fix = path.relative(args.resolveDir, target.path.replace(/\.tsx?$/, '.js').replace(/\.mts$/, '.mjs').replace(/\.cts$/, '.cjs')).split(path.sep).join('/');
        if (!fix.startsWith('.')) fix = `./${fix}`;
        const file = path.relative(root, args.importer).split(path.sep).join('/');
        const line = lineOf(args.importer, args.path);
        found.set(`${file}:${line}:${args.path}`, { file, line, specifier: args.path, fix });
        return undefined;
      });
    },
  };
  try {
    await build({ entryPoints: [...entries], bundle: true, write: false, packages: 'external', platform: 'node', format: 'esm', outdir: path.join(root, '.koa-apigateway-check'), logLevel: 'silent', plugins: [plugin] });
  } catch {
    // A file that does not parse or resolve at all fails when the program is loaded, with tsx's own message.
  }
  return [...found.values()].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
}

/**
 * True when the import of `written` (the specifier made absolute) finds `target` under Node's ES module resolution
 * as TypeScript and ts-node extend it: the file's own name, or its JavaScript twin (`.js` for `.ts`; `.js` or
 * `.jsx` for `.tsx`, as its jsx setting emits; `.mjs` for `.mts`; `.cjs` for `.cts`).
 */
function namesFile(written: string, target: string): boolean {
  const twins = [target, target.replace(/\.tsx?$/, '.js'), target.replace(/\.tsx$/, '.jsx'), target.replace(/\.mts$/, '.mjs'), target.replace(/\.cts$/, '.cjs')];
  return twins.includes(written);
}

/** The 1-based line of `file` where `specifier` is first written in quotes (1 when not found). */
function lineOf(file: string, specifier: string): number {
  const text = readFileSync(file, 'utf8');
  const at = [`'${specifier}'`, `"${specifier}"`, `\`${specifier}\``].map((q) => text.indexOf(q)).filter((i) => i >= 0);
  return at.length ? text.slice(0, Math.min(...at)).split('\n').length : 1;
}

/**
 * Throws ProgramLoadError when `pulumi up` could not load the project's program (`program`, absolute) and its
 * descriptor (`descriptor`): in an ES module project whose Pulumi.yaml loads it with Pulumi's TypeScript support and
 * no loader of its own, a relative import without its full file name (see the module's comment). The message names
 * each import (file:line), the specifier to write, and the other fix: load the program through tsx, as
 * `koa-apigateway init` writes Pulumi.yaml for an ES module project. Returns quietly for anything else (a
 * CommonJS project, a loader of the project's own, which synth cannot stand in for).
 */
export async function assertPulumiCanLoad(root: string, program: string, descriptor: string): Promise<void> {
  const runtime = programRuntime(root);
  if (!runtime.typescript || hasLoader(runtime.nodeargs) || !isEsModuleFile(program)) return;
  const entries = [program, descriptor].filter((f) => existsSync(f));
  const bad = await unloadableImports(root, entries);
  if (bad.length === 0) return;
  const programName = path.relative(root, program).split(path.sep).join('/');
  throw new ProgramLoadError(
    `pulumi up could not load ${programName}: ${bad.map((b) => `${b.file}:${b.line} imports '${b.specifier}'`).join(', ')}, without ${bad.length > 1 ? 'their file extensions' : 'its file extension'}. ` +
      `This package is an ES module ("type": "module" in package.json) and Pulumi.yaml loads the program with Pulumi's own TypeScript support (ts-node), where Node finds a relative import only by its full file name and ts-node's type-check refuses it (TS2835); synth loads it through tsx, which does not. ` +
      `Fix: write ${bad.map((b) => `'${b.fix}'`).join(', ')} (TypeScript maps .js to the .ts source), or load the program through tsx: under runtime.options in Pulumi.yaml set \`typescript: false\` and \`nodeargs: --import tsx\` (and npm install --save-dev tsx).`,
  );
}
