import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../support/process';

/**
 * A consumer's `addRoute(router, ...)` and `route()` type-check against the built package (infra/dist's
 * declarations, reached through infra/package.json `exports` as an installed copy is) in the three setups a
 * Koa project has: CommonJS (`module: commonjs`, Node's classic resolution), an ES module package (`"type":
 * "module"`, `module: nodenext`) and a bundler one (`module: esnext`, `moduleResolution: bundler`). @koa/router
 * ships separate declarations for `import` and `require`: under nodenext the project's `Router` is the
 * index.d.mts class while the package's CommonJS declarations reach index.d.ts, and a parameter typed as
 * @koa/router's class refused the project's router ("separate declarations of a private property"). addRoute
 * takes a structural RouteRegistrar instead (infra/src/route/route.ts).
 *
 * The consumer sits in a temporary folder whose node_modules is a link to the repository's (koa-apigateway there
 * is the workspace link to infra/, so its `exports` apply); the global setup has built infra/dist.
 */
const CONSUMER = `import Koa from 'koa';
import Router from '@koa/router';
import { Type } from 'typebox';
import { addRoute, route } from 'koa-apigateway/route';

const router = new Router();
const returned: Router = addRoute(router, { method: 'GET', path: '/items/:id', params: Type.Object({ id: Type.String() }) }, (ctx) => {
  ctx.body = { id: ctx.params.id };
});

// A router with its own state type, prefixed, mounted under another: still a RouteRegistrar, returned as itself.
interface State { user: string }
const v1 = new Router<State>({ prefix: '/v1' });
const same: Router<State> = addRoute(v1, { method: 'POST', path: '/things', body: Type.Object({ n: Type.Number() }) }, (ctx) => {
  ctx.body = ctx.state.user;
});
router.use('/nested', same.routes());

// route(): Koa middleware mounted before a plain handler.
const createItem = route({ body: Type.Object({ name: Type.String() }), responses: { 201: Type.Object({ name: Type.String() }) } });
router.post('/items', createItem, (ctx) => {
  ctx.status = 201;
});

// Not a router: refused (the parameter is not \`any\`).
// @ts-expect-error an object without the verb methods is no RouteRegistrar
addRoute({}, { method: 'GET', path: '/x' }, () => undefined);

export function createApp(): Koa {
  const app = new Koa();
  app.use(router.routes());
  void returned;
  return app;
}
`;

/** The three setups: package.json `type` and the compiler options that differ. */
const SETUPS = {
  commonjs: { type: 'commonjs', options: { module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10, esModuleInterop: true } },
  nodenext: { type: 'module', options: { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext } },
  bundler: { type: 'module', options: { module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler } },
} as const;

/** The declarations parsed once for the three programs (by file and module format): TypeBox's alone are 350 files. */
const parsed = new Map<string, ts.SourceFile | undefined>();

/** The consumer's type errors under `setup`, one line each (file:line: message), or [] when it type-checks. */
function typeErrors(dir: string): string[] {
  const setup = SETUPS[path.basename(dir) as keyof typeof SETUPS];
  const file = path.join(dir, 'app.ts');
  const options: ts.CompilerOptions = { ...setup.options, target: ts.ScriptTarget.ES2022, strict: true, noEmit: true, skipLibCheck: true, types: [] };
  const host = ts.createCompilerHost(options);
  const read = host.getSourceFile.bind(host);
  host.getSourceFile = (name, language, onError, create) => {
    const key = `${name}|${typeof language === 'object' ? language.impliedNodeFormat : ''}`;
    if (!name.endsWith('.d.ts') && !name.endsWith('.d.mts') && !name.endsWith('.d.cts')) return read(name, language, onError, create);
    if (!parsed.has(key)) parsed.set(key, read(name, language, onError, create));
    return parsed.get(key);
  };
  const program = ts.createProgram([file], options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file && d.start !== undefined ? `${path.relative(dir, d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}: ` : '';
    return `${where}${ts.flattenDiagnosticMessageText(d.messageText, '\n').split('\n').slice(0, 3).join(' / ')}`;
  });
}

describe("a consumer's addRoute and route() type-check against the built package in CommonJS, ES module and bundler projects", () => {
  let root: string;

  beforeAll(() => {
    root = mkdtempSync(path.join(tmpdir(), 'consumer-types-'));
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(root, 'node_modules'), 'dir');
    for (const [name, setup] of Object.entries(SETUPS)) {
      mkdirSync(path.join(root, name));
      writeFileSync(path.join(root, name, 'package.json'), `${JSON.stringify({ name: `consumer-${name}`, private: true, type: setup.type })}\n`);
      writeFileSync(path.join(root, name, 'app.ts'), CONSUMER);
    }
  });

  afterAll(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('the package is reached through its exports, as an installed copy: the declarations of infra/dist', () => {
    const resolved = ts.resolveModuleName('koa-apigateway/route', path.join(root, 'nodenext', 'app.ts'), { ...SETUPS.nodenext.options }, ts.sys, undefined, undefined, ts.ModuleKind.ESNext);
    expect(resolved.resolvedModule?.resolvedFileName).toBe(path.join(ROOT, 'infra', 'dist', 'route', 'index.d.ts'));
  });

  for (const name of Object.keys(SETUPS)) {
    it(`${name}: no type error`, { timeout: 60_000 }, () => {
      expect(typeErrors(path.join(root, name))).toEqual([]);
    });
  }
});
