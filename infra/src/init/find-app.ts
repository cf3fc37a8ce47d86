/**
 * Finds, in a Koa project's own source, what `koa-apigateway init` needs to write its descriptor: the exported
 * function that builds the Koa app (`new Koa()` inside it), the modules that call `listen` when imported
 * (which the product cannot import), and a Lambda entry the project has already. A reading of the text, not a
 * compiler: comments and strings are blanked first, so braces and calls are counted in code only.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** An exported function of the project that builds a Koa app. */
export interface AppFactory {
  /** The module, relative to the project root, `/`-separated (`src/app.ts`). */
  file: string;
  /** How it is exported: its name, or `default`. */
  exportName: string;
  /** The name it has in its module (the default export's own name), for the import `init` writes. */
  localName?: string;
  /** The 1-based line of its declaration. */
  line: number;
  /** True when it is `async`: it returns a promise of the app, which a descriptor's `createApp` cannot use. */
  async: boolean;
  /** True when it has a parameter without a default (`createApp(config)`): init cannot know what to pass. */
  requiredParameters: boolean;
}

/** A module that calls `listen` when it is imported (at its top level, or through a function its top level calls). */
export interface Listener {
  file: string;
  line: number;
}

/** What {@link findApp} found in a project. */
export interface FoundApp {
  factories: AppFactory[];
  listeners: Listener[];
  /** Modules that export a Lambda `handler` built with `koa-apigateway/lambda` (relative paths). */
  lambdaEntries: string[];
  /** Modules that export a Koa app built at import (`export default new Koa()`, `module.exports = app`), not a function. */
  instances: Listener[];
  /** Functions that build the app and listen on it, returning no app (`async function start() { ...; app.listen(3000) }`). */
  servers: Listener[];
}

/** Folders that hold no app source: dependencies, build output, tests, tooling. */
const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'build', 'out', 'coverage', '.git', '.local', 'test', 'tests', '__tests__', '__mocks__', 'fixtures', 'cdk.out', '.pulumi']);
const SOURCE = /\.(?:[cm]?ts|tsx|[cm]?js|jsx)$/;
const NOT_SOURCE = /\.d\.[cm]?ts$|\.(?:test|spec)\.[cm]?[jt]sx?$|^(?:vitest|jest|vite|eslint|webpack|rollup|tsup|babel|prettier)\.config\./;
/** Enough for any app's own source; a repository with more is read in part (the first files found, sorted). */
const MAX_FILES = 2000;
const MAX_BYTES = 512 * 1024;

/**
 * Returns the project's source files (relative, `/`-separated, sorted): `.ts`/`.js` (and their `m`/`c`/`x`
 * forms) under `root`, without declarations, tests, tool configs, dependencies, build output or dot-folders.
 */
export function sourceFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    if (out.length >= MAX_FILES) return;
    let entries;
    try {
      entries = readdirSync(path.join(root, rel), { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const file = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name) && !entry.name.startsWith('.')) walk(file);
      } else if (entry.isFile() && SOURCE.test(entry.name) && !NOT_SOURCE.test(entry.name) && out.length < MAX_FILES) {
        out.push(file);
      }
    }
  };
  walk('');
  return out;
}

/**
 * Reads the project at `root` (see {@link sourceFiles}) and returns the app factories, the modules listening at
 * import, the Koa instances exported as values and the Lambda entries it has. `skip` names files to leave out
 * (those `init` wrote itself).
 */
export function findApp(root: string, skip: ReadonlySet<string> = new Set()): FoundApp {
  const found: FoundApp = { factories: [], listeners: [], lambdaEntries: [], instances: [], servers: [] };
  for (const file of sourceFiles(root)) {
    if (skip.has(file)) continue;
    const full = path.join(root, file);
    if (statSync(full).size > MAX_BYTES) continue;
    const result = readModule(file, readFileSync(full, 'utf8'));
    found.factories.push(...result.factories);
    found.listeners.push(...result.listeners);
    found.instances.push(...result.instances);
    found.servers.push(...result.servers);
    if (result.lambdaEntry) found.lambdaEntries.push(file);
  }
  return found;
}

/** A function declared at the top level of a module. */
interface Declared {
  name: string | undefined;
  /** Where the declaration starts (for the line). */
  start: number;
  async: boolean;
  params: string;
  body: string;
  /** How the declaration itself exports it: `export function f` (named), `export default function` (default). */
  exportedAs: string | undefined;
}

/** What one module holds (see {@link findApp}); `file` is its relative path, `code` its text. */
export function readModule(file: string, code: string): { factories: AppFactory[]; listeners: Listener[]; servers: Listener[]; instances: Listener[]; lambdaEntry: boolean } {
  const bare = blankCommentsAndStrings(code);
  const koa = koaNames(code);
  const builds = new RegExp(`\\bnew\\s+(?:${koa.map(escape).join('|')})\\b`);
  const functions = topLevelFunctions(bare);
  const exported = exportedNames(bare);
  const isExported = (f: Declared) => f.exportedAs !== undefined || (f.name !== undefined && exported.has(f.name));
  // Module-private helpers that build the app (`function base() { return new Koa() }`): a function returning
  // what one of them built builds the app too (one level).
  const helpers = functions.filter((f) => f.name && !isExported(f) && returnsApp(f.body, builds, [])).map((f) => f.name!);
  const factories: AppFactory[] = [];
  const servers: Listener[] = [];
  for (const f of functions) {
    if (!returnsApp(f.body, builds, helpers)) {
      // Builds the app and listens, returning no app: a server, not a factory.
      if (builds.test(f.body) && /\.listen\s*\(/.test(f.body)) servers.push({ file, line: lineOf(code, f.start) });
      continue;
    }
    const names = [...(f.exportedAs ? [f.exportedAs] : []), ...(f.name ? (exported.get(f.name) ?? []) : [])];
    for (const exportName of new Set(names)) {
      factories.push({
        file,
        exportName,
        ...(exportName === 'default' && f.name ? { localName: f.name } : {}),
        line: lineOf(code, f.start),
        async: f.async,
        requiredParameters: hasRequiredParameter(f.params),
      });
    }
  }
  return { factories, listeners: listeners(file, code, bare, functions), servers, instances: instances(file, code, bare, builds), lambdaEntry: isLambdaEntry(code, bare) };
}

/**
 * True when a function body (a `{...}` block, or an arrow's expression) returns a Koa app it builds: `new Koa()`
 * (matched by `builds`) or a call of one of `helpers`, returned directly or through a variable
 * (`const app = new Koa(); ...; return app;`, `return app.use(router.routes())`). A function that returns the
 * server it listens on, or the app's `callback()`, returns no app.
 */
function returnsApp(body: string, builds: RegExp, helpers: readonly string[]): boolean {
  const made = new RegExp(`^\\(?\\s*(?:${builds.source}${helpers.length ? `|(?:${helpers.map(escape).join('|')})\\s*\\(` : ''})`);
  if (!body.startsWith('{')) return made.test(body.trim());
  const variables = new Set<string>();
  for (const m of body.matchAll(/\b([\w$]+)\s*(?::[^=;\n]+)?=(?![=>])\s*/g)) if (made.test(body.slice(m.index! + m[0].length))) variables.add(m[1]!);
  const depth = depths(body);
  for (const m of body.matchAll(/\breturn\s+([^;\n]+)/g)) {
    if (depth[m.index!] !== 1) continue;
    const value = m[1]!.trim();
    if (made.test(value)) return true;
    const variable = /^\(?\s*([\w$]+)\b(.*)$/.exec(value);
    if (variable && variables.has(variable[1]!) && !/^\s*\.\s*(?:listen|callback)\b/.test(variable[2]!)) return true;
  }
  return false;
}

/** The names a module gives Koa's class: its default import or require (`Koa` when it imports none under another name). */
function koaNames(code: string): string[] {
  const names = new Set(['Koa']);
  const patterns = [
    /import\s+(\w+)\s*(?:,\s*\{[^}]*\})?\s*from\s*['"]koa['"]/g,
    /import\s*\*\s*as\s+(\w+)\s+from\s*['"]koa['"]/g,
    /import\s*\{[^}]*\bdefault\s+as\s+(\w+)[^}]*\}\s*from\s*['"]koa['"]/g,
    /import\s+(\w+)\s*=\s*require\(\s*['"]koa['"]\s*\)/g,
    /(?:const|let|var)\s+(\w+)\s*=\s*require\(\s*['"]koa['"]\s*\)/g,
  ];
  for (const pattern of patterns) for (const m of code.matchAll(pattern)) names.add(m[1]!);
  return [...names];
}

/**
 * Returns `code` with every comment, string and template literal replaced by spaces (newlines kept), so that
 * positions and lines are the original's and braces, parentheses and calls are those of the code.
 */
export function blankCommentsAndStrings(code: string): string {
  const out = code.split('');
  const blank = (from: number, to: number) => {
    for (let k = from; k < to && k < out.length; k++) if (out[k] !== '\n') out[k] = ' ';
  };
  let i = 0;
  while (i < code.length) {
    const c = code[i]!;
    const next = code[i + 1];
    if (c === '/' && next === '/') {
      const end = code.indexOf('\n', i);
      const stop = end === -1 ? code.length : end;
      blank(i, stop);
      i = stop;
    } else if (c === '/' && next === '*') {
      const end = code.indexOf('*/', i + 2);
      const stop = end === -1 ? code.length : end + 2;
      blank(i, stop);
      i = stop;
    } else if (c === '"' || c === "'" || c === '`') {
      let j = i + 1;
      while (j < code.length && code[j] !== c) {
        if (code[j] === '\\') j++;
        else if (c !== '`' && code[j] === '\n') break;
        j++;
      }
      blank(i + 1, j);
      i = j + 1;
    } else {
      i++;
    }
  }
  return out.join('');
}

/** The brace depth at every position of `bare` (comments and strings blanked). */
function depths(bare: string): Uint16Array {
  const depth = new Uint16Array(bare.length + 1);
  let d = 0;
  for (let i = 0; i < bare.length; i++) {
    depth[i] = d;
    if (bare[i] === '{') d++;
    else if (bare[i] === '}' && d > 0) d--;
  }
  depth[bare.length] = d;
  return depth;
}

/** The index just after the bracket that closes the one at `open` (`(`, `{`, `[`), or the end of `bare`. */
function closing(bare: string, open: number): number {
  const pairs: Record<string, string> = { '(': ')', '{': '}', '[': ']' };
  const stack: string[] = [];
  for (let i = open; i < bare.length; i++) {
    const c = bare[i]!;
    if (pairs[c]) stack.push(pairs[c]!);
    else if (c === stack[stack.length - 1]) {
      stack.pop();
      if (stack.length === 0) return i + 1;
    }
  }
  return bare.length;
}

/**
 * The functions declared at the top level of a module: `[export [default]] [async] function name(...) {...}`,
 * `[export] const name = [async] (...) => ...` or `= [async] function (...) {...}`, `export default [async] (...) => ...`,
 * and the CommonJS forms `module.exports = ...`, `exports.name = ...`.
 */
function topLevelFunctions(bare: string): Declared[] {
  const depth = depths(bare);
  const out: Declared[] = [];
  const declaration = /(?:^|[\n;}])[ \t]*(export\s+(?:default\s+)?)?(async\s+)?function\s*\*?\s*([\w$]+)?\s*(?=\()/g;
  for (const m of bare.matchAll(declaration)) {
    const start = m.index! + m[0].length - m[0].trimStart().length;
    if (depth[start] !== 0) continue;
    const open = m.index! + m[0].length;
    const fn = functionFrom(bare, open);
    const exportedAs = m[1] ? (/default/.test(m[1]) ? 'default' : m[3]) : undefined;
    out.push({ name: m[3], start, async: Boolean(m[2]), ...fn, exportedAs });
  }
  // const f = (...) => ..., const f = async function (...) {...}, export default (...) => ..., module.exports = ..., exports.f = ...
  const expression =
    /(?:^|[\n;}])[ \t]*(?:(export\s+)?(?:const|let|var)\s+([\w$]+)\s*(?::[^=\n]+)?=|(export\s+default)|(module\.exports(?:\.([\w$]+))?\s*=)|(exports\.([\w$]+)\s*=))\s*(async\s+)?(?:function\s*\*?\s*[\w$]*\s*(?=\()|(?=\(|[\w$]+\s*=>))/g;
  for (const m of bare.matchAll(expression)) {
    const start = m.index! + m[0].length - m[0].trimStart().length;
    if (depth[start] !== 0) continue;
    const at = m.index! + m[0].length;
    let fn: { params: string; body: string };
    if (bare[at] === '(') fn = functionFrom(bare, at);
    else {
      // A single parameter without parentheses: `x => ...`.
      const arrow = /^([\w$]+)\s*=>/.exec(bare.slice(at))!;
      fn = { params: arrow[1]!, body: arrowBody(bare, at + arrow[0].length) };
    }
    const name = m[2] ?? m[5] ?? m[7];
    const exportedAs = m[1] ? m[2] : m[3] ? 'default' : m[4] ? (m[5] ?? 'default') : m[6] ? m[7] : undefined;
    out.push({ name, start, async: Boolean(m[8]), ...fn, exportedAs });
  }
  // `export default function f()` matches both forms: one function, as its declaration (which has its name).
  const unique = new Map<number, Declared>();
  for (const f of out) if (!unique.has(f.start)) unique.set(f.start, f);
  return [...unique.values()].sort((a, b) => a.start - b.start);
}

/** The parameters and body of a function whose parameter list opens at `open`: a block, or an arrow's expression. */
function functionFrom(bare: string, open: number): { params: string; body: string } {
  const paramsEnd = closing(bare, open);
  const params = bare.slice(open + 1, paramsEnd - 1);
  let i = paramsEnd;
  // A return type (`): Koa {`, `): Koa =>`, `): { app: Koa } {`): skipped up to the body or the arrow.
  const typed = /^\s*:/.exec(bare.slice(i));
  if (typed) {
    i += typed[0].length;
    let level = 0;
    let seen = false;
    for (; i < bare.length; i++) {
      const c = bare[i]!;
      if (level === 0 && (bare.startsWith('=>', i) || (c === '{' && seen))) break;
      if (c === '{' && !seen) {
        // An object type: the whole of it, then what follows.
        i = closing(bare, i) - 1;
        seen = true;
        continue;
      }
      if ('(<['.includes(c)) level++;
      else if (')>]'.includes(c) && bare[i - 1] !== '=') level--;
      if (!/\s/.test(c)) seen = true;
    }
  }
  const arrow = /^\s*=>\s*/.exec(bare.slice(i));
  if (arrow) return { params, body: arrowBody(bare, i + arrow[0].length) };
  const brace = bare.indexOf('{', i);
  if (brace === -1) return { params, body: '' };
  return { params, body: bare.slice(brace, closing(bare, brace)) };
}

/** An arrow function's body starting at `at`: a block, or an expression up to the end of its statement. */
function arrowBody(bare: string, at: number): string {
  let i = at;
  while (i < bare.length && /\s/.test(bare[i]!)) i++;
  if (bare[i] === '{') return bare.slice(i, closing(bare, i));
  let j = i;
  while (j < bare.length && bare[j] !== ';' && bare[j] !== '\n') j = '({['.includes(bare[j]!) ? closing(bare, j) : j + 1;
  return bare.slice(i, j);
}

/** Local name → the names it is exported under, from `export { a, b as c }`, `export default a`, `module.exports = a` / `{ a, b: c }`, `exports.x = a`. */
function exportedNames(bare: string): Map<string, string[]> {
  const depth = depths(bare);
  const names = new Map<string, string[]>();
  const add = (local: string, as: string) => names.set(local, [...(names.get(local) ?? []), as]);
  for (const m of bare.matchAll(/\bexport\s*\{([^}]*)\}(?!\s*from)/g)) {
    if (depth[m.index!] !== 0) continue;
    for (const part of m[1]!.split(',')) {
      const [local, as] = part.trim().split(/\s+as\s+/);
      if (local) add(local, as ?? local);
    }
  }
  for (const m of bare.matchAll(/\bexport\s+default\s+([\w$]+)\s*;?\s*(?:\n|$)/g)) if (depth[m.index!] === 0 && !['function', 'async', 'class', 'new'].includes(m[1]!)) add(m[1]!, 'default');
  for (const m of bare.matchAll(/\bmodule\.exports\s*=\s*([\w$]+)\s*;?\s*(?:\n|$)/g)) if (depth[m.index!] === 0) add(m[1]!, 'default');
  for (const m of bare.matchAll(/\bmodule\.exports\s*=\s*\{([^}]*)\}/g)) {
    if (depth[m.index!] !== 0) continue;
    for (const part of m[1]!.split(',')) {
      const [as, local] = part.trim().split(/\s*:\s*/);
      if (as) add(local ?? as, as);
    }
  }
  for (const m of bare.matchAll(/\b(?:module\.)?exports\.([\w$]+)\s*=\s*([\w$]+)\s*;?\s*(?:\n|$)/g)) if (depth[m.index!] === 0) add(m[2]!, m[1]!);
  return names;
}

/** True when a parameter list (`config: Config, port = 3000`) has a parameter without a default or `?`. */
function hasRequiredParameter(params: string): boolean {
  const parts: string[] = [];
  let current = '';
  let level = 0;
  for (const c of params) {
    if ('({[<'.includes(c)) level++;
    if (')}]>'.includes(c)) level--;
    if (c === ',' && level === 0) {
      parts.push(current);
      current = '';
    } else current += c;
  }
  parts.push(current);
  return parts.map((p) => p.trim()).some((p) => p !== '' && !p.startsWith('...') && !/^[\w$]+\s*\?/.test(p) && !/=/.test(p.replace(/=>/g, '')));
}

/**
 * The places a module listens when imported: a `.listen(` at its top level, or a top-level call of one of its
 * functions whose body listens (`main()`, `start().catch(...)`). A listen inside `if (require.main === module)`
 * or any other block runs only when asked, and is not one.
 */
function listeners(file: string, code: string, bare: string, functions: Declared[]): Listener[] {
  const depth = depths(bare);
  const found: Listener[] = [];
  for (const m of bare.matchAll(/\.listen\s*\(/g)) if (depth[m.index!] === 0) found.push({ file, line: lineOf(code, m.index!) });
  const listening = functions.filter((f) => f.name && /\.listen\s*\(/.test(f.body)).map((f) => f.name!);
  for (const name of listening) {
    for (const m of bare.matchAll(new RegExp(`(?<![\\w$.])${escape(name)}\\s*\\(`, 'g'))) {
      if (depth[m.index!] === 0 && !isDeclaration(bare, m.index!)) found.push({ file, line: lineOf(code, m.index!) });
    }
  }
  return found.sort((a, b) => a.line - b.line);
}

/** True when the name at `at` is the one a `function name(` declares, not a call of it. */
function isDeclaration(bare: string, at: number): boolean {
  return /function\s*\*?\s*$/.test(bare.slice(Math.max(0, at - 40), at));
}

/** Modules exporting a Koa app built at import: `export default new Koa()`, `const app = new Koa(); ... export default app / module.exports = app`. */
function instances(file: string, code: string, bare: string, builds: RegExp): Listener[] {
  const depth = depths(bare);
  const found: Listener[] = [];
  const direct = new RegExp(`(?:export\\s+default|module\\.exports\\s*=)\\s*${builds.source.replace(/^\\b/, '')}`, 'g');
  for (const m of bare.matchAll(direct)) if (depth[m.index!] === 0) found.push({ file, line: lineOf(code, m.index!) });
  const exported = exportedNames(bare);
  for (const m of bare.matchAll(new RegExp(`(?:const|let|var)\\s+([\\w$]+)\\s*(?::[^=\\n]+)?=\\s*${builds.source.replace(/^\\b/, '')}`, 'g'))) {
    if (depth[m.index!] === 0 && exported.has(m[1]!)) found.push({ file, line: lineOf(code, m.index!) });
  }
  return found;
}

/** True when the module exports a `handler` and imports `koa-apigateway/lambda` (a Lambda entry of this product). */
function isLambdaEntry(code: string, bare: string): boolean {
  return /['"]koa-apigateway\/lambda['"]/.test(code) && /\b(?:export\s+(?:const|let|var|function|async\s+function)\s+handler\b|exports\.handler\s*=|export\s*\{[^}]*\bhandler\b)/.test(bare);
}

/** The 1-based line of position `at` in `code`. */
function lineOf(code: string, at: number): number {
  let line = 1;
  for (let i = 0; i < at && i < code.length; i++) if (code[i] === '\n') line++;
  return line;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
