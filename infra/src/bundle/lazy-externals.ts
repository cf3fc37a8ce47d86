import type { Plugin } from 'esbuild';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const NAMESPACE = 'lazy-external';

/**
 * Returns an esbuild plugin that loads the external packages matching `filter` on first use of one of
 * their exports, not at module init. ES module imports of an external are hoisted and evaluated before
 * the bundle runs, so importing `@aws-sdk/client-dynamodb` cost every cold start the whole SDK (about
 * 55 ms and 18 MB), even with memory storage, which never touches it.
 *
 * Each importing file gets a CommonJS module of getters, one per name it imports (all the package's
 * exports for a namespace or default import), sorted: deterministic. The first getter read `require`s
 * the package. esbuild reads named imports from CommonJS through those getters at each use, so
 * `new DynamoDBClient()` and `err instanceof ConditionalCheckFailedException` see the real classes.
 */
export function lazyExternals(filter: RegExp): Plugin {
  return {
    name: NAMESPACE,
    setup(build) {
      // The module's name says which package it stands for without containing the package path: it holds none of its code.
      build.onResolve({ filter }, (args) =>
        args.kind === 'import-statement' && args.namespace === 'file'
          ? {
              path: `${args.path.replaceAll('/', '+')} for ${path.relative(build.initialOptions.absWorkingDir ?? process.cwd(), args.importer).split(path.sep).join('/')}`,
              namespace: NAMESPACE,
              pluginData: { specifier: args.path, importer: args.importer, resolveDir: args.resolveDir },
            }
          : undefined,
      );
      build.onLoad({ filter: /.*/, namespace: NAMESPACE }, (args) => {
        const { specifier, importer, resolveDir } = args.pluginData as { specifier: string; importer: string; resolveDir: string };
        const names =
          importedNames(readFileSync(importer, 'utf8'), specifier) ??
          Object.keys(createRequire(path.join(resolveDir, 'noop.js'))(specifier) as object).filter((name) => name !== 'default' && name !== '__esModule');
        return {
          contents: [
            'let loaded;',
            `const load = () => (loaded ??= require(${JSON.stringify(specifier)}));`,
            'Object.defineProperty(exports, "__esModule", { value: true });',
            `for (const name of ${JSON.stringify([...new Set(names)].sort())}) Object.defineProperty(exports, name, { enumerable: true, get: () => load()[name] });`,
          ].join('\n'),
          loader: 'js',
          resolveDir,
        };
      });
    },
  };
}

/**
 * Returns the value names `source` imports from `specifier` (`import { A, B as C, type D } from '...'`
 * gives A and B), or undefined when it imports the module any other way (default, namespace, bare).
 */
export function importedNames(source: string, specifier: string): string[] | undefined {
  const quoted = specifier.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const statements = [...source.matchAll(new RegExp(`import\\s+(type\\s+)?([^;]*?)\\s+from\\s*['"]${quoted}['"]`, 'g'))];
  const names: string[] = [];
  for (const [, typeOnly, clause] of statements) {
    if (typeOnly) continue;
    const braces = /^\{([^}]*)\}$/.exec(clause!.trim());
    if (!braces) return undefined;
    for (const item of braces[1]!.split(',')) {
      const [name, ...rest] = item.trim().split(/\s+/);
      if (!name || name === 'type') continue;
      if (rest.length > 0 && rest[0] !== 'as') return undefined;
      names.push(name);
    }
  }
  return statements.length > 0 ? names : undefined;
}
