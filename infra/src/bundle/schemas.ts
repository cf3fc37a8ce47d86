import type { Plugin } from 'esbuild';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** `import … from 'x'` / `export … from 'x'` / `import 'x'`: the statement's type-only marker and its module. */
const IMPORT = /^\s*(?:import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]/gm;

/**
 * Returns true when `source` (a TypeScript module) imports nothing at run time but TypeBox: a module
 * of schemas, whose exports are data once evaluated. Type-only imports do not count.
 */
export function importsOnlyTypeBox(source: string): boolean {
  let runtimeImports = 0;
  for (const match of source.matchAll(IMPORT)) {
    if (match[1]) continue;
    const specifier = match[2]!;
    if (specifier !== 'typebox') return false;
    runtimeImports++;
  }
  return runtimeImports > 0;
}

/**
 * Returns the module text that exports the same values as `exports` as JSON literals, or undefined
 * when one of them is not plain JSON data (a function, a class instance, undefined, a symbol...).
 * TypeBox's hidden markers (`~kind`, `~optional`: non-enumerable) are not data and are not kept.
 */
export function exportsAsData(exports: Record<string, unknown>): string | undefined {
  const lines: string[] = [];
  for (const [name, value] of Object.entries(exports)) {
    if (name === '__esModule') continue;
    if (!isPlainData(value)) return undefined;
    // A key `__proto__` in an object literal sets the prototype (ECMA-262 §B.3.1): such data goes through JSON.parse,
    // which makes it an own property as the build saw it (a schema that lost it matched no generated validator: 500).
    const json = JSON.stringify(value);
    const literal = json.includes('"__proto__"') ? `JSON.parse(${JSON.stringify(json)})` : json;
    lines.push(name === 'default' ? `export default ${literal};` : `export const ${name} = ${literal};`);
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : undefined;
}

function isPlainData(value: unknown): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(isPlainData);
  if (typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  // Symbol keys and enumerable accessors are not data; non-enumerable string keys (TypeBox's markers) are dropped.
  if (Object.getOwnPropertySymbols(value).some((s) => Object.getOwnPropertyDescriptor(value, s)!.enumerable)) return false;
  return Object.keys(value).every((key) => {
    const descriptor = Object.getOwnPropertyDescriptor(value, key)!;
    return 'value' in descriptor && isPlainData(descriptor.value);
  });
}

/** Returns the exports of the TypeScript module `file`, evaluated in this (build) process, or undefined when it cannot be loaded here. */
async function evaluate(file: string): Promise<Record<string, unknown> | undefined> {
  try {
    // tsx and ts-node (Pulumi) load TypeScript through require.
    return createRequire(__filename)(file) as Record<string, unknown>;
  } catch {
    try {
      return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    } catch {
      return undefined;
    }
  }
}

/**
 * Returns the esbuild plugin that evaluates the app's schema modules at build time: a TypeScript module
 * of the project (under `<root>`, outside `node_modules`; wherever the app keeps it) that imports nothing
 * at run time but `typebox`, and whose exports are all JSON data once evaluated (TypeBox schemas are), is
 * replaced in the bundle by its exports as JSON literals. The bundle then ships none of TypeBox's type
 * builders, and a cold start builds no schema: the validators were generated at build time too
 * (validators.ts), and they find each schema by its JSON text. A module that does anything else is
 * bundled as it is.
 */
export function schemaModulesAsData(root: string): Plugin {
  const projectDir = path.resolve(root) + path.sep;
  const dependencies = path.join(projectDir, 'node_modules') + path.sep;
  return {
    name: 'schema-modules-as-data',
    setup(build) {
      build.onLoad({ filter: /\.ts$/ }, async (args) => {
        if (!args.path.startsWith(projectDir) || args.path.startsWith(dependencies)) return undefined;
        const source = await readFile(args.path, 'utf8');
        if (!importsOnlyTypeBox(source)) return undefined;
        const exports = await evaluate(args.path);
        const contents = exports && exportsAsData(exports);
        return contents === undefined ? undefined : { contents, loader: 'js' };
      });
    },
  };
}
