import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { blankCommentsAndStrings, findApp, readModule, sourceFiles } from '../../../infra/src/init/find-app';

/** The factories of one module, as `exportName@line` (`async`, `args` when so). */
function factories(code: string): string[] {
  return readModule('m.ts', code).factories.map((f) => `${f.exportName}@${f.line}${f.async ? ' async' : ''}${f.requiredParameters ? ' args' : ''}`);
}

describe('an exported function that builds a Koa app is found, however it is written', () => {
  it.each([
    ['export function', "import Koa from 'koa';\nexport function createApp(): Koa {\n  const app = new Koa();\n  app.use(router.routes());\n  return app;\n}\n", ['createApp@2']],
    ['export const arrow with a block', "import Koa from 'koa';\nexport const makeApp = () => {\n  const app = new Koa();\n  return app;\n};\n", ['makeApp@2']],
    ['an arrow returning new Koa() itself', "import Koa from 'koa';\nexport const buildApp = (): Koa => new Koa();\n", ['buildApp@2']],
    ['a default export function', "import Koa from 'koa';\nexport default function appFactory() {\n  const app = new Koa();\n  return app.use(x);\n}\n", ['default@2']],
    ['an anonymous default arrow, Koa imported under another name', "import Application from 'koa';\nexport default () => {\n  const app = new Application();\n  return app;\n};\n", ['default@2']],
    ['declared, then exported by name', "import Koa from 'koa';\nfunction createApp() {\n  return new Koa();\n}\nexport { createApp as buildApi };\n", ['buildApi@2']],
    ['CommonJS module.exports = function', "const Koa = require('koa');\nmodule.exports = function (opts) {\n  const app = new Koa();\n  return app;\n};\n", ['default@2 args']],
    ['CommonJS exports.name', "const Koa = require('koa');\nfunction createApp() { const app = new Koa(); return app; }\nmodule.exports = { createApp };\n", ['createApp@2']],
    ['through a private helper (one level)', "import Koa from 'koa';\nfunction base() { return new Koa(); }\nexport function createApp() {\n  const app = base();\n  return app;\n}\n", ['createApp@3']],
    ['async, with a required parameter', "import Koa from 'koa';\nexport async function createApp(config: Config) {\n  return new Koa();\n}\n", ['createApp@2 async args']],
    ['optional and defaulted parameters are not required', "import Koa from 'koa';\nexport function createApp(options: { a?: number } = {}, b?: string, ...rest: unknown[]) {\n  return new Koa();\n}\n", ['createApp@2']],
  ])('%s', (_, code, expected) => {
    expect(factories(code)).toEqual(expected);
  });

  it('a default export keeps its own name, for the import init writes', () => {
    expect(readModule('m.ts', "import Koa from 'koa';\nexport default function appFactory() {\n  return new Koa();\n}\n").factories[0]).toMatchObject({ exportName: 'default', localName: 'appFactory' });
  });
});

describe('what is not a factory is not taken for one', () => {
  it.each([
    ['new Koa() in a comment or a string', "import Koa from 'koa';\n// export function createApp() { return new Koa(); }\nexport function describe() { return 'new Koa()'; }\n"],
    ['a function that builds the app and returns its server', "import Koa from 'koa';\nexport function createServer() {\n  const app = new Koa();\n  return http.createServer(app.callback());\n}\n"],
    ['a function that builds the app and listens', "import Koa from 'koa';\nexport function start() {\n  const app = new Koa();\n  return app.listen(3000);\n}\n"],
    ['a private factory', "import Koa from 'koa';\nfunction createApp() { return new Koa(); }\n"],
    ['a nested function', "import Koa from 'koa';\nexport function outer() {\n  function createApp() { return new Koa(); }\n  return 1;\n}\n"],
  ])('%s', (_, code) => {
    expect(factories(code)).toEqual([]);
  });
});

describe('a module that listens when imported', () => {
  const listens = (code: string) => readModule('m.ts', code).listeners.map((l) => l.line);

  it('is found by its top-level listen, or a top-level call of a function that listens', () => {
    expect(listens("import { createApp } from './app';\n\ncreateApp().listen(3000);\n")).toEqual([3]);
    expect(listens("import Koa from 'koa';\nconst app = new Koa();\napp.listen(3000, () => console.log('up'));\nexport default app;\n")).toEqual([3]);
    expect(listens("async function main() {\n  const app = createApp();\n  app.listen(3000);\n}\nmain().catch(console.error);\n")).toEqual([5]);
  });

  it('is not one when the listen runs only on request: inside a function nobody calls at import, or behind require.main', () => {
    expect(listens("export function start() {\n  createApp().listen(3000);\n}\n")).toEqual([]);
    expect(listens("if (require.main === module) {\n  createApp().listen(3000);\n}\n")).toEqual([]);
    expect(listens("// app.listen(3000)\nconst s = 'app.listen(3000)';\n")).toEqual([]);
  });

  it('an app built and exported as a value is reported as an instance, with its line', () => {
    expect(readModule('m.ts', "import Koa from 'koa';\nconst app = new Koa();\nexport default app;\n").instances).toEqual([{ file: 'm.ts', line: 2 }]);
    expect(readModule('m.js', "const Koa = require('koa');\nmodule.exports = new Koa();\n").instances).toEqual([{ file: 'm.js', line: 2 }]);
  });

  it('a function that builds the app and listens is reported as a server', () => {
    expect(readModule('m.ts', "import Koa from 'koa';\nexport async function start() {\n  const app = new Koa();\n  app.listen(3000);\n}\n").servers).toEqual([{ file: 'm.ts', line: 2 }]);
  });
});

describe('blankCommentsAndStrings', () => {
  it('keeps the length and the lines, blanks comments, strings and templates', () => {
    const code = "const a = '{'; // }\n/* { */ const b = `x${'{'}`;\nconst c = \"it's\";";
    const bare = blankCommentsAndStrings(code);
    expect(bare.length).toBe(code.length);
    expect(bare.split('\n').length).toBe(3);
    expect(bare).not.toMatch(/[{}]/);
    expect(bare).toContain('const a =');
    expect(bare).toContain('const c =');
  });
});

describe('findApp reads the project’s own source', () => {
  let root: string;
  afterEach(() => rmSync(root, { recursive: true, force: true }));
  const project = (files: Record<string, string>) => {
    root = mkdtempSync(path.join(tmpdir(), 'find-app-'));
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      writeFileSync(path.join(root, file), text);
    }
    return root;
  };
  const FACTORY = "import Koa from 'koa';\nexport function createApp() {\n  return new Koa();\n}\n";

  it('skips dependencies, build output, tests, declarations and tool configs', () => {
    project({
      'src/app.ts': FACTORY,
      'node_modules/x/index.js': FACTORY,
      'dist/app.js': FACTORY,
      'tests/helper.ts': FACTORY,
      'src/app.test.ts': FACTORY,
      'src/types.d.ts': 'export declare function createApp(): void;',
      'vitest.config.ts': FACTORY,
      '.cache/app.ts': FACTORY,
    });
    expect(sourceFiles(root)).toEqual(['src/app.ts']);
    expect(findApp(root).factories.map((f) => `${f.file}:${f.exportName}`)).toEqual(['src/app.ts:createApp']);
  });

  it('finds the listening entry beside the factory, and a Lambda entry of koa-apigateway', () => {
    project({
      'src/app.ts': FACTORY,
      'src/server.ts': "import { createApp } from './app';\ncreateApp().listen(Number(process.env.PORT ?? 3000));\n",
      'src/handler.ts': "import { lambdaHandler } from 'koa-apigateway/lambda';\nimport { createApp } from './app';\nexport const handler = lambdaHandler(createApp());\n",
    });
    const found = findApp(root);
    expect(found.listeners).toEqual([{ file: 'src/server.ts', line: 2 }]);
    expect(found.lambdaEntries).toEqual(['src/handler.ts']);
    expect(findApp(root, new Set(['src/handler.ts'])).lambdaEntries).toEqual([]);
  });
});
