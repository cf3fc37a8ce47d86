import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { inject } from 'vitest';
import { writeFiles, plainKoaAppFiles } from './plain-koa-app';
import { ROOT, runProcess } from './process';

/**
 * The project a Koa team has after adopting the package from its tarball (tests/product/cli/adoption*.test.ts): the
 * plain Koa app (./plain-koa-app.ts) in a folder outside the repository, `npm pack` of the package and `npm install`
 * of the tarball with its peers. One install serves every adoption test file of a run: the first file to ask makes
 * it, the others wait for it, so the files run side by side instead of one after the other (docs/development.md
 * "How long it takes"). The folder is the run's (tests/global-setup.ts provides it and removes it at the end).
 */
export interface AdoptedProject {
  /** The project's folder (outside the repository). */
  project: string;
  /** sha256 of every file of node_modules/koa-apigateway right after the install, by relative path. */
  packageFiles: Record<string, string>;
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** A folder of the run's, outside the repository, for the adopted project (tests/global-setup.ts). */
    adoptionRoot: string;
  }
}

/** The repository's lock file: the peers are pinned to the versions the suite tests. */
const LOCK = JSON.parse(readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string }> };

/** `name@version` as the repository's lock file has it (what the suite tests), else `name@fallback`. */
function pinned(name: string, fallback: string): string {
  const version = LOCK.packages[`node_modules/${name}`]?.version;
  return `${name}@${version ?? fallback}`;
}

/** The environment of a user's shell: none of the test run's npm, vitest or koa-apigateway variables. */
export function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(npm_|VITEST|KOA_APIGATEWAY_)/i.test(key) || ['INIT_CWD', 'STACK', 'NODE_OPTIONS', 'NODE_ENV', 'PORT', 'API_KEY', 'OUT'].includes(key)) continue;
    env[key] = value;
  }
  return { ...env, ...extra };
}

/** sha256 of every file under `dir`, by relative path. */
export function tree(dir: string, rel = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const file = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory()) Object.assign(out, tree(dir, file));
    else if (entry.isFile()) out[file] = createHash('sha256').update(readFileSync(path.join(dir, file))).digest('hex');
  }
  return out;
}

/** Packs the package and installs the tarball with its peers into `project` (the plain app written there first). */
async function install(project: string): Promise<AdoptedProject> {
  writeFiles(project, plainKoaAppFiles());
  const packDir = path.join(project, '.pack');
  mkdirSync(packDir);
  const pack = await runProcess('npm', ['pack', '--pack-destination', packDir], { cwd: path.join(ROOT, 'infra'), env: userEnv(), timeoutMs: 180_000 });
  if (pack.status !== 0) throw new Error(`npm pack failed (${pack.status}):\n${pack.stderr}`);
  const tarball = path.join(packDir, readdirSync(packDir).find((f) => f.endsWith('.tgz'))!);
  const installStarted = Date.now();
  const peers = [...['koa', '@koa/router', 'typebox', '@pulumi/pulumi', '@pulumi/aws', '@types/koa'].map((name) => pinned(name, 'latest')), pinned('@koa/bodyparser', '^6'), pinned('typescript', '5')];
  const run = await runProcess('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball, ...peers], { cwd: project, env: userEnv(), timeoutMs: 600_000 });
  if (run.status !== 0) throw new Error(`npm install of the tarball failed (${run.status}):\n${run.stderr}`);
  process.stderr.write(`adoption: npm install of the tarball and its peers took ${((Date.now() - installStarted) / 1000).toFixed(1)} s\n`);
  return { project, packageFiles: tree(path.join(project, 'node_modules', 'koa-apigateway')) };
}

/**
 * Returns the run's adopted project, installing it on the first call of the run (in any test file) and waiting for
 * that install on the others. The folder `project` is created atomically (mkdir) by the one that installs; it writes
 * `ready.json` (the package's file hashes) when done, or `failed.txt` with the reason, which the others throw.
 */
export async function adoptedProject(timeoutMs = 900_000): Promise<AdoptedProject> {
  const root = inject('adoptionRoot');
  const project = path.join(root, 'project');
  const ready = path.join(root, 'ready.json');
  const failed = path.join(root, 'failed.txt');
  let mine = true;
  try {
    mkdirSync(project);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    mine = false;
  }
  if (mine) {
    try {
      const adopted = await install(project);
      // Written whole, then renamed: a waiting file never reads half of it.
      writeFileSync(`${ready}.part`, JSON.stringify(adopted.packageFiles));
      renameSync(`${ready}.part`, ready);
      return adopted;
    } catch (err) {
      writeFileSync(failed, String((err as Error).stack ?? err));
      throw err;
    }
  }
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (existsSync(ready)) return { project, packageFiles: JSON.parse(readFileSync(ready, 'utf8')) as Record<string, string> };
    if (existsSync(failed)) throw new Error(`the adopted project's install failed in another test file:\n${readFileSync(failed, 'utf8')}`);
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for another test file's install of the adopted project in ${project}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}
