import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The package's import graph holds its structure (docs/development.md "Layout"): no module imports itself
 * through others (a circle makes load order decide what is undefined, and no part can be read or reused
 * alone), and the pure core (infra/src/core/: plan, definition, openapi) reads no file and loads nothing of
 * the deploy or the tools, so every consumer of the API definition (the component, `start`, `openapi`, the
 * conformance suite) can use it as it is. The imports are read with TypeScript's own pre-processor
 * (`ts.preProcessFile`: import, `import type`, `export … from`, `require()`, `import()`), already a
 * dependency; a graph library (madge, dependency-cruiser) would add a dependency tree for these ~80 lines.
 */
const ROOT = path.resolve(__dirname, '../..');
const SRC = path.join(ROOT, 'infra/src');

/** Module (path relative to the source root, `core/plan/plan.ts`) → what it imports: modules of the root, or package names (`node:fs`, `yaml`). */
export type ImportGraph = ReadonlyMap<string, readonly string[]>;

/** Returns every specifier `text` imports: static, type-only, re-exported, required or dynamically imported. */
export function importsOf(text: string): string[] {
  return ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName);
}

/** Returns the import graph of `files` (path relative to the root → source text); relative specifiers resolve as TypeScript does (`x.ts`, `x/index.ts`). */
export function buildGraph(files: ReadonlyMap<string, string>): ImportGraph {
  const graph = new Map<string, string[]>();
  for (const [file, text] of files) {
    graph.set(
      file,
      importsOf(text).map((spec) => {
        if (!spec.startsWith('.')) return spec;
        const base = path.posix.join(path.posix.dirname(file), spec);
        return [`${base}.ts`, `${base}/index.ts`, base].find((candidate) => files.has(candidate)) ?? `${base} (unresolved)`;
      }),
    );
  }
  return graph;
}

/** Returns each import circle of the graph (a strongly connected component of more than one module, or one importing itself), as `a → b → a`. */
export function findCycles(graph: ImportGraph): string[] {
  // Tarjan's strongly connected components.
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[] = [];
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || graph.get(v)!.includes(v)) cycles.push(describeCycle(graph, new Set(component)));
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);
  return cycles;
}

/** The shortest circle through the component's first module, `a → b → a`, then the component's other modules. */
function describeCycle(graph: ImportGraph, component: ReadonlySet<string>): string {
  const start = [...component].sort()[0]!;
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const v = queue.shift()!;
    for (const w of graph.get(v) ?? []) {
      if (!component.has(w)) continue;
      if (w === start) {
        const route = [start];
        for (let at = v; at !== start; at = previous.get(at)!) route.splice(1, 0, at);
        const others = [...component].filter((m) => !route.includes(m)).sort();
        return [...route, start].join(' → ') + (others.length ? ` (the same circle holds ${others.join(', ')})` : '');
      }
      if (!previous.has(w)) {
        previous.set(w, v);
        queue.push(w);
      }
    }
  }
  return [...component].join(', ');
}

/**
 * What the pure core may not reach: the file system, YAML, the TypeScript loader, Pulumi, esbuild; the app
 * descriptor's loader, the stack files' reader, the project's files; and the deploy, the local gateway, the
 * bundler, the CLI and the tools (conformance, client, synth), which all stand on the core, not under it.
 */
const FORBIDDEN_PACKAGES = [/^(node:)?fs(\/|$)/, /^yaml$/, /^tsx(\/|$)/, /^@pulumi\//, /^esbuild$/];
const FORBIDDEN_MODULES = [/^app\/load\.ts$/, /^settings\/stack-files\.ts$/, /^project\.ts$/, /^(tools|pulumi|local|bundle|cli)\//];

/**
 * Returns, for each core/ module that reaches a forbidden package or module, the import path to it
 * (`core/a.ts → settings/stack-files.ts → node:fs`). The walk follows the core's imports through the rest
 * of the package, but not into route/: the core reads the routes' declarations from it (discover.ts), and
 * route/ is the Lambda's runtime, which may read its own source maps (its imports are the bundle's concern).
 */
export function coreViolations(graph: ImportGraph): string[] {
  const found: string[] = [];
  for (const start of [...graph.keys()].filter((f) => f.startsWith('core/')).sort()) {
    const previous = new Map<string, string>([[start, '']]);
    const queue = [start];
    const report = (target: string, from: string) => {
      const route = [target];
      for (let at = from; at !== ''; at = previous.get(at)!) route.unshift(at);
      found.push(route.join(' → '));
    };
    while (queue.length > 0) {
      const v = queue.shift()!;
      for (const w of graph.get(v) ?? []) {
        if (FORBIDDEN_PACKAGES.some((p) => p.test(w)) || FORBIDDEN_MODULES.some((p) => p.test(w))) {
          report(w, v);
          continue;
        }
        if (!graph.has(w) || previous.has(w) || w.startsWith('route/')) continue;
        previous.set(w, v);
        queue.push(w);
      }
    }
  }
  return found;
}

/** Every TypeScript module under `dir`, path relative to it → its text. */
function sources(dir: string, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    const rel = prefix ? `${prefix}/${name}` : name;
    if (statSync(full).isDirectory()) for (const [k, v] of sources(full, rel)) out.set(k, v);
    else if (name.endsWith('.ts')) out.set(rel, readFileSync(full, 'utf8'));
  }
  return out;
}

describe('the package has one direction of imports (infra/src)', () => {
  const graph = buildGraph(sources(SRC));

  it('reads the whole package', () => {
    expect(graph.size).toBeGreaterThan(80);
    expect(graph.get('core/plan/plan.ts')).toContain('core/plan/paths.ts');
  });

  it('no module imports itself through others (no import circle)', () => {
    expect(findCycles(graph), 'break each circle: move the shared type or constant to the module both depend on').toEqual([]);
  });

  it('the pure core (core/) imports no file system, YAML, loader, stack-file reader, Pulumi or tool', () => {
    expect(coreViolations(graph), 'the core is pure: pass what it needs in (settings, the app), read files outside it').toEqual([]);
  });
});

describe('the import-graph check catches what it names (self-test)', () => {
  const graphOf = (files: Record<string, string>) => buildGraph(new Map(Object.entries(files)));

  it('reads every form of import', () => {
    const text = [
      "import a from './a';",
      "import type { B } from './b';",
      "export * from './c';",
      "export { d } from './d';",
      "const e = require('./e');",
      "const f = await import('./f');",
      "import './g';",
    ].join('\n');
    expect(importsOf(text)).toEqual(['./a', './b', './c', './d', './e', './f', './g']);
  });

  it('resolves a folder to its index.ts and keeps package names', () => {
    const graph = graphOf({ 'x.ts': "import { p } from './core/plan'; import fs from 'node:fs';", 'core/plan/index.ts': '' });
    expect(graph.get('x.ts')).toEqual(['core/plan/index.ts', 'node:fs']);
  });

  it('catches a circle of two modules, a longer one, one through a type-only import, and a module importing itself', () => {
    expect(findCycles(graphOf({ 'a.ts': "import './b';", 'b.ts': "import './a';" }))).toEqual(['a.ts → b.ts → a.ts']);
    expect(findCycles(graphOf({ 'a.ts': "import './b';", 'b.ts': "import './c';", 'c.ts': "import type { A } from './a';" }))).toEqual(['a.ts → b.ts → c.ts → a.ts']);
    expect(findCycles(graphOf({ 'a.ts': "import './a';" }))).toEqual(['a.ts → a.ts']);
    expect(findCycles(graphOf({ 'a.ts': "import './b';", 'b.ts': "import 'node:fs';" }))).toEqual([]);
  });

  it.each([
    ['node:fs', "import { readFileSync } from 'node:fs';"],
    ['fs/promises', "import { readFile } from 'fs/promises';"],
    ['yaml', "import { parse } from 'yaml';"],
    ['tsx', "const tsx = require('tsx/cjs/api');"],
    ['pulumi', "import * as pulumi from '@pulumi/pulumi';"],
    ['the app loader', "import { loadApp } from '../app/load';"],
    ['the stack files reader', "import { readStackConfig } from '../settings/stack-files';"],
    ['the tools', "import type { Contract } from '../tools/conformance/contract';"],
  ])('catches a core module importing %s', (_, line) => {
    const files = { 'core/x.ts': line, 'app/load.ts': '', 'settings/stack-files.ts': '', 'tools/conformance/contract.ts': '' };
    expect(coreViolations(graphOf(files))).toHaveLength(1);
  });

  it('catches the core reaching a forbidden import through a module outside it, and names the path', () => {
    const files = { 'core/x.ts': "import { parse } from '../settings/parse';", 'settings/parse.ts': "import { load } from '../app/load';", 'app/load.ts': '' };
    expect(coreViolations(graphOf(files))).toEqual(['core/x.ts → settings/parse.ts → app/load.ts']);
  });

  it('lets the core import the pure parts of the package', () => {
    const files = { 'core/x.ts': "import { RouteError } from '../errors'; import { KEYS } from '../settings/keys'; import { createHash } from 'node:crypto';", 'errors.ts': '', 'settings/keys.ts': '' };
    expect(coreViolations(graphOf(files))).toEqual([]);
  });
});
