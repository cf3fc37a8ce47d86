import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * A Koa app written the plain way, as a Koa team has it before adopting koa-apigateway: `createApp()` in
 * src/app.ts with its own error handler (`{ error }` bodies), `@koa/bodyparser` (when `bodyParser`), and plain
 * `router.get/post/delete` routes (a health check, list, create with a body, get by id, delete); src/server.ts
 * listens; package.json has its own `start` and `build`; tsconfig.json is CommonJS with Node's classic module
 * resolution, as `tsc --init`-era projects are. With `esm`, it is an ES module package instead (`"type": "module"`,
 * `module: nodenext`, its relative imports naming their `.js` file, its tsconfig.json covering every file), as a
 * project started today often is.
 * It imports nothing of koa-apigateway.
 * The routes, for the tests that call them: GET /health, GET /notes, POST /notes {text}, GET /notes/:id, DELETE /notes/:id.
 */
export const PLAIN_ROUTES = ['DELETE /notes/{id}', 'GET /health', 'GET /notes', 'GET /notes/{id}', 'POST /notes'];

/** The package.json `name` of the plain app, and the names init derives from it. */
export const PLAIN_PACKAGE_NAME = '@acme/Notes_API';
export const PLAIN_PROJECT_NAME = 'notes-api';

/**
 * Returns the files of the plain app (relative path → text); `bodyParser` mounts @koa/bodyparser (default true);
 * `esm` makes it an ES module package, its package.json declaring `dependencies` (what an installed project has).
 */
export function plainKoaAppFiles(options: { bodyParser?: boolean; esm?: { dependencies: Record<string, string> } } = {}): Record<string, string> {
  const bodyParser = options.bodyParser ?? true;
  const esm = options.esm;
  return {
    'package.json': `${JSON.stringify(
      {
        name: PLAIN_PACKAGE_NAME,
        version: '1.4.0',
        description: 'Notes, a small Koa API',
        private: true,
        ...(esm ? { type: 'module' } : {}),
        main: 'build/server.js',
        scripts: { build: 'tsc', start: 'node build/server.js' },
        ...(esm ? { dependencies: esm.dependencies } : {}),
      },
      null,
      2,
    )}\n`,
    'tsconfig.json': `${JSON.stringify(
      // The ES module project's covers every .ts file of the project (no `include`), init's too: its build checks them.
      { compilerOptions: { target: 'ES2022', module: esm ? 'nodenext' : 'commonjs', strict: true, ...(esm ? {} : { esModuleInterop: true }), skipLibCheck: true, outDir: 'build' }, ...(esm ? {} : { include: ['src'] }) },
      null,
      2,
    )}\n`,
    '.gitignore': 'node_modules/\nbuild/\n',
    'src/app.ts': `import Koa from 'koa';
import Router from '@koa/router';
${bodyParser ? "import { bodyParser } from '@koa/bodyparser';\n" : ''}
export interface Note {
  id: string;
  text: string;
}

/** Builds the notes API: error handling, ${bodyParser ? 'the body parser, ' : ''}the routes. */
export function createApp(): Koa {
  const notes = new Map<string, Note>();
  let nextId = 1;
  const app = new Koa();

  app.use(async (ctx, next) => {
    try {
      await next();
    } catch (err: any) {
      ctx.status = err.status ?? 500;
      ctx.body = { error: err.message };
    }
  });
${bodyParser ? '  app.use(bodyParser());\n' : ''}
  const router = new Router();

  router.get('/health', (ctx) => {
    ctx.body = { status: 'ok' };
  });

  router.get('/notes', (ctx) => {
    ctx.body = { notes: [...notes.values()] };
  });

  router.post('/notes', (ctx) => {
    const { text } = ${bodyParser ? '(ctx.request.body ?? {})' : '((ctx.request as { body?: unknown }).body ?? {})'} as { text?: unknown };
    if (typeof text !== 'string' || text.trim() === '') return ctx.throw(400, 'text is required');
    const note = { id: String(nextId++), text };
    notes.set(note.id, note);
    ctx.status = 201;
    ctx.body = note;
  });

  router.get('/notes/:id', (ctx) => {
    const note = notes.get(ctx.params.id);
    if (!note) return ctx.throw(404, 'note not found');
    ctx.body = note;
  });

  router.delete('/notes/:id', (ctx) => {
    if (!notes.delete(ctx.params.id)) return ctx.throw(404, 'note not found');
    ctx.status = 204;
  });

  app.use(router.routes());
  app.use(router.allowedMethods());
  return app;
}
`,
    'src/server.ts': `import { createApp } from './app${esm ? '.js' : ''}';

const port = Number(process.env.PORT ?? 3000);
createApp().listen(port, () => console.log(\`notes listening on \${port}\`));
`,
  };
}

/** Writes `files` (relative path → text) under `root`, creating folders. */
export function writeFiles(root: string, files: Record<string, string>): void {
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
}
