import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** The Pulumi project file names, as the Pulumi CLI looks for them. */
const PROJECT_FILES = ['Pulumi.yaml', 'Pulumi.yml'];

/**
 * Returns the project root every command and the Pulumi program work from: the nearest folder, from `cwd`
 * upwards, holding `Pulumi.yaml` (the Pulumi CLI finds its project the same way), else `cwd` itself (a Koa
 * app not yet set up with `koa-apigateway init`). The app descriptor (`app.config.ts`), the stack files and
 * the build output (`dist/lambda`) are found from here, never from where this package is installed.
 */
export function projectRoot(cwd: string = process.cwd()): string {
  let dir = path.resolve(cwd);
  for (;;) {
    if (PROJECT_FILES.some((name) => existsSync(path.join(dir, name)))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return path.resolve(cwd);
    dir = parent;
  }
}

/**
 * Returns the Pulumi program of the project at `root`, as the Pulumi CLI finds it: `main` of Pulumi.yaml
 * (a file, or a folder holding index.ts), else `main` of package.json, else `index.ts` (then `index.js`).
 */
export function programFile(root: string): string {
  const fromPulumi = readField(path.join(root, 'Pulumi.yaml'), /^main:\s*['"]?([^'"\s#]+)/m);
  const fromPackage = (() => {
    try {
      const main = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { main?: unknown }).main;
      return typeof main === 'string' ? main : undefined;
    } catch {
      return undefined;
    }
  })();
  const candidates = [fromPulumi, fromPackage, 'index.ts', 'index.js'].filter((c): c is string => c !== undefined);
  for (const candidate of candidates) {
    const file = path.resolve(root, candidate);
    for (const option of [file, `${file}.ts`, path.join(file, 'index.ts'), path.join(file, 'index.js')]) if (existsSync(option) && !isDirectory(option)) return option;
  }
  return path.resolve(root, candidates[0]!);
}

function readField(file: string, pattern: RegExp): string | undefined {
  try {
    return pattern.exec(readFileSync(file, 'utf8'))?.[1];
  } catch {
    return undefined;
  }
}

function isDirectory(file: string): boolean {
  try {
    return statSync(file).isDirectory();
  } catch {
    return false;
  }
}

/**
 * True when Node loads `file` as an ES module: a `.mts`/`.mjs` file, or a `.ts`/`.tsx`/`.js`/`.jsx` one whose
 * nearest package.json says `"type": "module"` (https://nodejs.org/api/packages.html#determining-module-system;
 * TypeScript's nodenext decides a file's format the same way). `.cts`/`.cjs` files, and the others without such a
 * package.json, are CommonJS.
 */
export function isEsModuleFile(file: string): boolean {
  if (/\.m[jt]s$/.test(file)) return true;
  if (/\.c[jt]s$/.test(file)) return false;
  for (let dir = path.dirname(path.resolve(file)); ; dir = path.dirname(dir)) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        return (JSON.parse(readFileSync(pkg, 'utf8')) as { type?: unknown }).type === 'module';
      } catch {
        return false;
      }
    }
    if (path.dirname(dir) === dir) return false;
  }
}
