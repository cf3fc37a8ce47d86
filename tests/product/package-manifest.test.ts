import { builtinModules } from 'node:module';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runProcess } from '../support/process';

/**
 * The package as `npm pack` publishes it (infra/package.json): what it loads is what it declares, what an
 * install needs is in the tarball and nothing else is, and its entry points have types under every module
 * resolution a TypeScript project uses. The adoption test (tests/product/cli/adoption.test.ts) installs the
 * tarball for real; these checks name the field to fix.
 */
const PACKAGE = path.join(ROOT, 'infra');
const manifest = JSON.parse(readFileSync(path.join(PACKAGE, 'package.json'), 'utf8')) as {
  exports: Record<string, string | Record<string, string>>;
  typesVersions: Record<string, Record<string, string[]>>;
  bin: Record<string, string>;
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  devDependencies?: Record<string, string>;
  files: string[];
};

/**
 * Modules named in the package's code only as text, never loaded by it: `destroy` is koa's own dependency,
 * named in the bundler's patch of koa's source (infra/src/bundle/koa.ts) and resolved from koa's folder.
 */
const NAMED_NOT_LOADED = new Set(['destroy']);

/** The files of `dir`, recursively, relative to it. */
function walk(dir: string, rel = ''): string[] {
  return readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((e) => {
    const file = rel ? `${rel}/${e.name}` : e.name;
    return e.isDirectory() ? walk(dir, file) : [file];
  });
}

/** The npm package a bare specifier belongs to (`@pulumi/pulumi/cmd/run` → `@pulumi/pulumi`); undefined for a relative or built-in one. */
export function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:')) return undefined;
  const name = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!;
  return builtinModules.includes(name) ? undefined : name;
}

/** The packages `code` (a built module) loads: `require('x')`, `require.resolve('x/…')`, `import('x')`. */
export function loadedPackages(code: string): string[] {
  const found = [...code.matchAll(/\b(?:require(?:\.resolve)?|import)\(\s*(['"])([^'"\s]+)\1/g)].map((m) => packageOf(m[2]!));
  return [...new Set(found.filter((name): name is string => name !== undefined))];
}

describe('the package declares what it loads (infra/package.json dependencies and peerDependencies)', () => {
  // dist/ is built by the tests' global setup; it is what the bin, Node and a Pulumi program load.
  const loaded = new Map<string, string>();
  for (const file of walk(path.join(PACKAGE, 'dist')).filter((f) => f.endsWith('.js'))) {
    for (const name of loadedPackages(readFileSync(path.join(PACKAGE, 'dist', file), 'utf8'))) if (!loaded.has(name)) loaded.set(name, `dist/${file}`);
  }

  it('the scan sees every way a module is loaded', () => {
    expect(loadedPackages(`require("openapi-sampler"); require.resolve('swagger-ui-dist/package.json'); await import('@seriousme/openapi-schema-validator'); require("node:fs"); require("./x"); require("path")`)).toEqual([
      'openapi-sampler',
      'swagger-ui-dist',
      '@seriousme/openapi-schema-validator',
    ]);
  });

  it('every package the built code loads is a dependency or a peer: an install gives it', () => {
    const declared = new Set([...Object.keys(manifest.dependencies), ...Object.keys(manifest.peerDependencies)]);
    const missing = [...loaded].filter(([name]) => !declared.has(name) && !NAMED_NOT_LOADED.has(name)).map(([name, file]) => `${name} (loaded by ${file})`);
    expect(missing, 'add these to infra/package.json dependencies (or peerDependencies for what the app shares)').toEqual([]);
  });

  it('every dependency is loaded by the built code: nothing only the repository needs is installed in users’ projects', () => {
    // koa, @koa/router and typebox are peers the bundle takes from src/ (the koa-apigateway-source condition).
    expect(Object.keys(manifest.dependencies).filter((name) => !loaded.has(name))).toEqual([]);
  });

  it('the frameworks the app shares are peers, never dependencies (the bundle carries the app’s copies once)', () => {
    for (const name of ['koa', '@koa/router', 'typebox', '@pulumi/pulumi', '@pulumi/aws']) {
      expect(manifest.peerDependencies, name).toHaveProperty(name);
      expect(manifest.dependencies, name).not.toHaveProperty(name);
    }
  });
});

describe('npm pack ships what an install needs, and only that (infra/package.json files)', () => {
  const packed = async () => {
    const run = await runProcess('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: path.join(ROOT, 'infra'), timeoutMs: 60_000 });
    expect(run.status, run.stderr).toBe(0);
    return new Set((JSON.parse(run.stdout) as [{ files: { path: string }[] }])[0].files.map((f) => f.path));
  };

  it('the bin, every entry point (its module, its types, its source for the bundler), the README and the CHANGELOG', { timeout: 60_000 }, async () => {
    const files = await packed();
    const targets = [
      ...Object.values(manifest.bin),
      ...Object.values(manifest.exports).flatMap((entry) => (typeof entry === 'string' ? [entry] : Object.values(entry))),
      ...Object.values(manifest.typesVersions['*']!).flat(),
      'dist/cli/main.js',
      'bin/check-node.cjs',
      'package.json',
      'README.md',
      'CHANGELOG.md',
    ].map((t) => t.replace(/^\.\//, ''));
    expect(targets.filter((t) => !files.has(t))).toEqual([]);
    // Every source the bundler may build the Lambda from.
    expect(walk(path.join(PACKAGE, 'src')).filter((f) => !files.has(`src/${f}`))).toEqual([]);
  });

  it('no build state, build script or compiler config, and no module whose source is gone', { timeout: 60_000 }, async () => {
    const files = [...(await packed())];
    expect(files.filter((f) => /\.tsbuildinfo$|^dist\/\.built$|^scripts\/|tsconfig\.json$|^tests?\//.test(f))).toEqual([]);
    const sources = new Set(walk(path.join(PACKAGE, 'src')));
    expect(files.filter((f) => f.startsWith('dist/') && !sources.has(f.slice('dist/'.length).replace(/(\.d\.ts\.map|\.d\.ts|\.js\.map|\.js)$/, '.ts')))).toEqual([]);
  });
});

describe('the documentation ships with the package (infra/scripts/copy-docs.cjs, run by prepack)', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const docs = require(path.join(PACKAGE, 'scripts', 'copy-docs.cjs')) as {
    brokenLinks(dir: string, files: string[], others?: string[]): string[];
    relativeLinks(markdown: string): string[];
    anchors(markdown: string): Set<string>;
    NOT_SHIPPED: Set<string>;
  };

  it('npm pack (its prepack) packs every user page of docs/, and every relative link of the packed markdown resolves to a packed file and heading', { timeout: 120_000 }, async () => {
    // Scripts on: prepack builds (skipped when dist/ is up to date) and copies the pages, as npm publish does.
    const run = await runProcess('npm', ['pack', '--dry-run', '--json'], { cwd: PACKAGE, timeoutMs: 120_000 });
    expect(run.status, run.stderr).toBe(0);
    const files = new Set((JSON.parse(run.stdout) as [{ files: { path: string }[] }])[0].files.map((f) => f.path));
    const pages = readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md') && !docs.NOT_SHIPPED.has(f));
    expect(pages.length).toBeGreaterThan(10);
    expect(pages.filter((page) => !files.has(`docs/${page}`))).toEqual([]);
    expect(files.has('docs/development.md')).toBe(false);
    const markdown = [...files].filter((f) => f.endsWith('.md'));
    const problems: string[] = [];
    for (const file of markdown) {
      const text = readFileSync(path.join(PACKAGE, file), 'utf8');
      // What was packed is the repository's page, unchanged.
      if (file.startsWith('docs/')) expect(text, file).toBe(readFileSync(path.join(ROOT, file), 'utf8'));
      for (const link of docs.relativeLinks(text)) {
        const [target, anchor] = link.split('#', 2) as [string, string | undefined];
        const resolved = target === '' ? file : path.posix.normalize(path.posix.join(path.posix.dirname(file), decodeURIComponent(target)));
        if (!files.has(resolved)) problems.push(`${file}: ${link} (${resolved} is not packed)`);
        else if (anchor !== undefined && !docs.anchors(readFileSync(path.join(PACKAGE, resolved), 'utf8')).has(anchor)) problems.push(`${file}: ${link} (no such heading)`);
      }
    }
    expect(problems).toEqual([]);
    // The README a user reads in node_modules leads to every page.
    const readmeLinks = new Set(docs.relativeLinks(readFileSync(path.join(PACKAGE, 'README.md'), 'utf8')).map((l) => l.split('#')[0]));
    expect(pages.filter((page) => !readmeLinks.has(`docs/${page}`))).toEqual([]);
  });

  it('every file of the package its messages and templates name (node_modules/koa-apigateway/...) is packed', { timeout: 120_000 }, async () => {
    const run = await runProcess('npm', ['pack', '--dry-run', '--json'], { cwd: PACKAGE, timeoutMs: 120_000 });
    expect(run.status, run.stderr).toBe(0);
    const files = new Set((JSON.parse(run.stdout) as [{ files: { path: string }[] }])[0].files.map((f) => f.path));
    const named = walk(path.join(PACKAGE, 'src')).flatMap((f) => [...readFileSync(path.join(PACKAGE, 'src', f), 'utf8').matchAll(/node_modules\/koa-apigateway\/([\w./-]*\w)/g)].map((m) => m[1]!));
    expect(named).toContain('docs/configuration.md');
    expect([...new Set(named)].filter((f) => !files.has(f))).toEqual([]);
  });

  it('the check refuses a page linking outside the package or to a heading it lacks (self-test)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'copy-docs-'));
    try {
      mkdirSync(path.join(dir, 'docs'));
      writeFileSync(path.join(dir, 'README.md'), '# Pkg\n[deploy](docs/deploy.md#first-deployment) [gone](guide/gone.md)\n');
      writeFileSync(path.join(dir, 'docs', 'deploy.md'), '# Deploy\n## Prerequisites\n[home](../README.md#pkg) [repo](../../README.md) [test](../tests/x.ts) `[code](../no.md)`\n');
      expect(docs.brokenLinks(dir, ['README.md', 'docs/deploy.md'])).toEqual([
        'README.md: docs/deploy.md#first-deployment: no heading with that anchor in docs/deploy.md',
        'README.md: guide/gone.md: guide/gone.md is not in the package',
        'docs/deploy.md: ../../README.md: ../README.md is not in the package',
        'docs/deploy.md: ../tests/x.ts: tests/x.ts is not in the package',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the build removes the outputs of a deleted source (infra/scripts/build.cjs), so npm pack never ships a stale module', () => {
  it('pruneOrphans deletes dist/x.js, .d.ts and maps when src/x.ts is gone, and keeps the rest', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { pruneOrphans } = require(path.join(PACKAGE, 'scripts', 'build.cjs')) as { pruneOrphans: (dist: string, src: string) => string[] };
    // A scratch package: the real dist/ is loaded by other tests while this one runs (and is checked above).
    const dir = mkdtempSync(path.join(tmpdir(), 'prune-'));
    try {
      mkdirSync(path.join(dir, 'dist', 'cli'), { recursive: true });
      mkdirSync(path.join(dir, 'src', 'cli'), { recursive: true });
      writeFileSync(path.join(dir, 'src', 'cli', 'main.ts'), '');
      for (const f of ['cli/main.js', 'cli/main.d.ts', 'cli/gone.js', 'cli/gone.js.map', 'cli/gone.d.ts', 'cli/gone.d.ts.map', '.built']) writeFileSync(path.join(dir, 'dist', f), '');
      expect(pruneOrphans(path.join(dir, 'dist'), path.join(dir, 'src')).sort()).toEqual(['cli/gone.d.ts', 'cli/gone.d.ts.map', 'cli/gone.js', 'cli/gone.js.map']);
      expect(walk(path.join(dir, 'dist')).sort()).toEqual(['.built', 'cli/main.d.ts', 'cli/main.js']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the entry points have types under every module resolution (infra/package.json typesVersions)', () => {
  it('typesVersions names, for each subpath, the declarations `exports` gives (for moduleResolution node, which ignores exports)', () => {
    for (const [subpath, entry] of Object.entries(manifest.exports)) {
      if (subpath === '.' || subpath === './package.json' || typeof entry === 'string') continue;
      expect(manifest.typesVersions['*']![subpath.slice(2)], subpath).toEqual([entry.types]);
    }
    expect(Object.keys(manifest.typesVersions['*']!).sort()).toEqual(Object.keys(manifest.exports).filter((s) => s !== '.' && s !== './package.json').map((s) => s.slice(2)).sort());
  });
});
