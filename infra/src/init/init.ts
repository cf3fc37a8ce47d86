/**
 * `koa-apigateway init`: sets up an existing Koa project for the product. Writes Pulumi.yaml, the dev stack,
 * the Pulumi program, the app descriptor and (when the project has none) the Lambda entry, adds the npm scripts
 * and the .gitignore lines, and says what to install and what to fill in. Never overwrites a file, never
 * replaces a script of the project's; a second run changes nothing.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_APP_FILE_NAME } from '../app/load';
import { programFile } from '../project';
import { findApp, type AppFactory, type FoundApp } from './find-app';
import { InitError, installLine, missingPackages, packageManager, planScripts, projectNames, readPackageJson, runScriptCommand, type PackageManager, type ScriptChange } from './package-json';
import { appConfigTs, DEFAULT_REGION, ESM_NODEARGS, FILL_IN, lambdaTs, programTs, pulumiYaml, stackYaml, type FactoryImport } from './templates';
import { PULUMI_TSCONFIG, pulumiTsconfigJson, pulumiTsconfigProblem } from './tsconfig';

/** One place left for the user to fill in: the file, the line, and what goes there. */
export interface FillIn {
  file: string;
  line: number;
  text: string;
}

/** What {@link initProject} did and found, for the command to print. */
export interface InitReport {
  /** One line per file or setting: `wrote index.ts (...)`, `kept Pulumi.yaml`, `package.json: added ...`. */
  actions: string[];
  /** True when nothing was written (a second run). */
  unchanged: boolean;
  /** What init found of the app, and what to do about what it cannot use. */
  findings: string[];
  /** The places marked FILL IN in the descriptor and the Lambda entry. */
  fillIns: FillIn[];
  /** The one command that installs what is missing, if anything is. */
  install?: string;
  /** What the packages on the install line are for. */
  installReasons: string[];
  /** The commands to run next, with what each does. */
  next: string[];
}

/** The lines init adds to .gitignore: the local gateway's keys (.local/) and the build output (dist/). */
const IGNORED = ['.local/', 'dist/'];

/** The Pulumi program's file name: index.ts, or the first of these that the project does not use for something else. */
const PROGRAM_NAMES = ['index.ts', 'infra.ts', 'deploy.ts'];

/**
 * Sets up the Koa project at `root` (see the module's comment) and returns the report. Throws InitError when
 * the project has no usable package.json, or every program file name is taken.
 */
export function initProject(root: string): InitReport {
  const pkg = readPackageJson(root);
  // An ES module package: Node resolves its relative imports by their full file name, and Pulumi loads its
  // program through tsx (templates.ts pulumiYaml). `module: nodenext` alone leaves the files CommonJS.
  const esm = pkg.json.type === 'module';
  const names = projectNames(pkg.json, root);
  const manager = packageManager(root);
  const actions: string[] = [];
  const findings: string[] = [];
  let changed = false;
  const write = (file: string, text: string, what: string): boolean => {
    const full = path.join(root, file);
    if (existsSync(full)) {
      actions.push(`kept ${file}`);
      return false;
    }
    writeProjectFile(root, file, text);
    actions.push(`wrote ${file} (${what})`);
    changed = true;
    return true;
  };

  // Pulumi.yaml and its program, and the tsconfig Pulumi compiles it with when the project's own cannot serve.
  const pulumiFile = ['Pulumi.yaml', 'Pulumi.yml'].find((f) => existsSync(path.join(root, f)));
  const program = pulumiFile ? path.relative(root, programFile(root)).split(path.sep).join('/') : programName(root);
  // Only ts-node compiles with a tsconfig: an ES module project's program is loaded through tsx.
  const tsconfigProblem = esm ? undefined : pulumiTsconfigProblem(root);
  if (pulumiFile) {
    actions.push(`kept ${pulumiFile}`);
    const loader = esm ? pulumiLoader(readFileSync(path.join(root, pulumiFile), 'utf8')) : 'tsx';
    if (loader !== 'tsx') {
      findings.push(
        `package.json says "type": "module" and ${pulumiFile} loads ${program} ${loader}, not through tsx as koa-apigateway synth and the other commands do, so a program synth loads may fail under pulumi up (Pulumi's ES module mode needs ts-node 10, whose type-check resolves an ES module's packages as CommonJS under TypeScript 5.9; Node alone imports TypeScript only from 22.18 on). Fix: under runtime.options in ${pulumiFile}, set \`typescript: false\` and \`nodeargs: ${ESM_NODEARGS}\` (as init writes it; tsx is then a devDependency).`,
      );
    }
    if (tsconfigProblem && !/^\s+tsconfig:/m.test(readFileSync(path.join(root, pulumiFile), 'utf8'))) {
      findings.push(`tsconfig.json's ${tsconfigProblem} cannot pair with the nodenext module settings of Pulumi's TypeScript compile, so pulumi up would fail (TypeScript refuses the mix). Fix: add \`tsconfig: ${PULUMI_TSCONFIG}\` under runtime.options in ${pulumiFile}.`);
    }
  } else {
    const description = typeof pkg.json.description === 'string' && pkg.json.description.trim() ? pkg.json.description : `${names.title} on AWS API Gateway and Lambda (koa-apigateway)`;
    const tsconfig = tsconfigProblem ? { tsconfig: { file: PULUMI_TSCONFIG, reason: tsconfigProblem } } : {};
    write(
      'Pulumi.yaml',
      pulumiYaml({ project: names.project, description, main: program, packageManager: manager, esm, ...tsconfig }),
      `project ${names.project}, program ${program}${tsconfigProblem ? `, compiled with ${PULUMI_TSCONFIG}` : ''}${esm ? `, an ES module loaded through tsx: nodeargs ${ESM_NODEARGS}` : ''}`,
    );
  }
  if (tsconfigProblem) write(PULUMI_TSCONFIG, pulumiTsconfigJson(), `tsconfig.json with module nodenext, for Pulumi: its ${tsconfigProblem} would make pulumi up fail`);
  write('Pulumi.dev.yaml', stackYaml(), `the dev stack, region ${DEFAULT_REGION}`);
  write(program, programTs(), 'the Pulumi program: deployApp() from koa-apigateway/pulumi');
  if (pulumiFile && !isProgram(path.join(root, program))) {
    findings.push(
      `${pulumiFile} runs ${program}, which does not deploy the app. Fix: make it the program (export const { url, apiKey } = deployApp(); from koa-apigateway/pulumi), or set \`main: index.ts\` in ${pulumiFile} and write index.ts so.`,
    );
  }

  // The app: its factory, the descriptor and the Lambda entry.
  const descriptorFile = DEFAULT_APP_FILE_NAME;
  let fillInFiles = [descriptorFile];
  let factoryChoice: Choice | undefined;
  if (existsSync(path.join(root, descriptorFile))) {
    actions.push(`kept ${descriptorFile}`);
    // The Lambda entry it names (init wrote it, or the project's own), read from the text: listed as kept, or, gone, said.
    const descriptorText = readFileSync(path.join(root, descriptorFile), 'utf8');
    const named = lambdaField(descriptorText);
    if (named && existsSync(path.join(root, named))) actions.push(`kept ${named} (the Lambda entry ${descriptorFile} names)`);
    else if (named) {
      findings.push(
        `${descriptorFile} names ${named} as the Lambda entry ("lambda"), which does not exist: build, synth and pulumi up would fail. Fix: write it (export const handler = lambdaHandler(createApp()), lambdaHandler from koa-apigateway/lambda), or point "lambda" at your entry.`,
      );
    }
    if (!/\bdefineApp\b|['"]koa-apigateway['"]/.test(descriptorText)) {
      findings.push(
        `${descriptorFile} is the project's own (it does not call defineApp), and koa-apigateway reads its app descriptor from that name. Fix: rename yours (and its imports), then run koa-apigateway init again; or write the descriptor in another file and set KOA_APIGATEWAY_APP=<that file> for every command and for pulumi up.`,
      );
    }
  } else {
    const found = findApp(root, new Set([descriptorFile, program]));
    const choice = chooseFactory(found, findings);
    factoryChoice = choice;
    const watch = choice.kind === 'found' ? [topFolder(choice.factory.file)] : [existsSync(path.join(root, 'src')) ? 'src' : '.'];
    // The entry goes beside the factory, or (none found) in the folder dev watches, so editing it restarts dev.
    const entryDir = choice.kind === 'found' ? path.posix.dirname(choice.factory.file) : watch[0]!;
    const lambda = found.lambdaEntries[0] ?? freeName(root, [path.posix.join(entryDir, 'lambda.ts'), path.posix.join(entryDir, 'gateway-lambda.ts')]);
    const fields = { name: names.app, title: names.title, version: typeof pkg.json.version === 'string' && pkg.json.version ? pkg.json.version : '0.1.0', lambda, watch };
    write(descriptorFile, appConfigTs(fields, factoryImport(choice, '.', esm), esm), choice.kind === 'found' ? `the app descriptor: createApp from ${choice.factory.file}` : 'the app descriptor, createApp to fill in');
    if (found.lambdaEntries.length > 0) actions.push(`kept ${lambda} (the project's Lambda entry: app.config.ts names it)`);
    else write(lambda, lambdaTs(factoryImport(choice, path.posix.dirname(lambda), esm)), 'the Lambda entry: lambdaHandler from koa-apigateway/lambda');
    fillInFiles = [descriptorFile, lambda];
  }

  // npm scripts.
  const scripts = planScripts(pkg.json.scripts ?? {});
  const added = scripts.filter((s) => s.kind !== 'present');
  if (added.length > 0) {
    pkg.json.scripts = { ...(pkg.json.scripts ?? {}), ...Object.fromEntries(added.map((s) => [s.name, s.command])) };
    writeProjectFile(root, 'package.json', `${JSON.stringify(pkg.json, null, pkg.indent)}\n`);
    changed = true;
    actions.push(`package.json: added the scripts ${added.map((s) => s.name).join(', ')}`);
    for (const s of added) if (s.kind === 'renamed') actions.push(`  "${s.taken}" is the project's own (${s.theirs}): koa-apigateway's is "${s.name}" (${runScriptCommand(s.name, manager)})`);
  } else actions.push('kept the npm scripts (every command has one)');

  // .gitignore.
  const gitignore = path.join(root, '.gitignore');
  const present = existsSync(gitignore) ? readFileSync(gitignore, 'utf8') : undefined;
  const missingLines = IGNORED.filter((line) => !ignores(present ?? '', line));
  if (missingLines.length > 0) {
    const before = present === undefined || present === '' || present.endsWith('\n') ? (present ?? '') : `${present}\n`;
    writeProjectFile(root, '.gitignore', `${before}# koa-apigateway: the local gateway's keys, the Lambda bundle\n${missingLines.join('\n')}\n`);
    changed = true;
    actions.push(`${present === undefined ? 'wrote' : 'updated'} .gitignore (added ${missingLines.join(', ')})`);
  } else actions.push('kept .gitignore (it ignores .local/ and dist/)');

  const missing = missingPackages(root, pkg.json, { esm });
  const install = installLine(missing, manager);
  const fillIns = fillInFiles.flatMap((file) => fillInsOf(root, file));
  return {
    actions,
    unchanged: !changed,
    findings,
    fillIns,
    ...(install ? { install } : {}),
    installReasons: [...new Set(missing.map((m) => m.reason))].map((reason) => `${reason}: ${missing.filter((m) => m.reason === reason).map((m) => m.name).join(', ')}`),
    next: [...(fillIns.length > 0 ? [fillInStep(fillIns, factoryChoice)] : []), ...nextSteps(scripts, manager)],
  };
}

/** Writes `text` to `file` (relative to `root`); a file system refusal (permissions, a full or read-only disk) is an InitError naming the file. */
function writeProjectFile(root: string, file: string, text: string): void {
  try {
    writeFileSync(path.join(root, file), text);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS' || code === 'ENOSPC') {
      throw new InitError(`Cannot write ${file} (${code}: ${(err as Error).message}). Fix: run koa-apigateway init as a user who may write to ${root}, then run it again (it keeps what it wrote already).`);
    }
    throw err;
  }
}

/** The factory init chose, or why it chose none (`factories`: the ones it found, none usable or several). */
type Choice = { kind: 'found'; factory: AppFactory } | { kind: 'fill-in'; hint: string[]; factories: AppFactory[] };

/**
 * Returns the first of the next steps when places are marked FILL IN: which lines of which files, and what goes
 * there for the factory init found (or did not find): every command stops at createApp until they are filled in.
 * `choice` is undefined when the descriptor was the project's already (its marks are from an earlier run).
 */
function fillInStep(fillIns: FillIn[], choice: Choice | undefined): string {
  const files = [...new Set(fillIns.map((f) => f.file))];
  const places = files.map((file) => {
    const lines = fillIns.filter((f) => f.file === file).map((f) => f.line);
    return `${file} (line${lines.length > 1 ? 's' : ''} ${lines.join(', ')})`;
  });
  const where = places.length > 1 ? `${places.slice(0, -1).join(', ')} and ${places.at(-1)}` : places[0]!;
  const name = (f: AppFactory) => (f.exportName === 'default' ? (f.localName ?? 'the default export') : f.exportName);
  let what: string;
  if (choice?.kind === 'found') what = `pass the arguments ${choice.factory.exportName === 'default' ? (choice.factory.localName ?? 'the factory') : choice.factory.exportName} needs where they call it`;
  else if (choice === undefined) what = 'what each marked line asks';
  else if (choice.factories.length === 0) {
    what = 'export a function that builds your Koa app and returns it without listening (export function createApp() { const app = new Koa(); ...; return app; }), then import it in both files and return its app there';
  } else if (choice.factories.length > 1) what = `import the one to deploy (${choice.factories.map(name).join(' or ')}) in both files and return its app there`;
  else what = `make ${name(choice.factories[0]!)} usable as said above, then import it in both files and return its app there`;
  // A marked argument list still runs (without the arguments); a createApp left to fill in throws, naming app.config.ts.
  const until = choice?.kind === 'found' ? '' : ' Until then every command below stops at createApp.';
  return `first fill in ${where}, marked FILL IN: ${what}.${until}`;
}

/**
 * Chooses the app's factory among those found: the one exported function that builds a Koa app, when it is
 * usable (synchronous, in a module that does not listen when imported). Anything else is a place to fill in;
 * what init saw is pushed to `findings`, each with what to do.
 */
function chooseFactory(found: FoundApp, findings: string[]): Choice {
  const listening = new Map(found.listeners.map((l) => [l.file, l]));
  // One function exported twice (`export function createApp`, `export default createApp`) is one factory: the named export.
  const factories = [...new Map(found.factories.map((f) => [`${f.file}:${f.line}`, f])).values()].map((f) => found.factories.find((g) => g.file === f.file && g.line === f.line && g.exportName !== 'default') ?? f);
  const where = (f: AppFactory) => `${f.exportName === 'default' ? `the default export${f.localName ? ` ${f.localName}` : ''}` : f.exportName} (${f.file}:${f.line})`;
  const usable = factories.filter((f) => !f.async && !listening.has(f.file));
  if (factories.length === 1 && usable.length === 1) {
    // A module of the project's own that listens (src/server.ts) is fine: nothing koa-apigateway loads imports it.
    findings.push(`Found ${where(usable[0]!)}: it builds your Koa app. app.config.ts and the Lambda entry call it.`);
    if (usable[0]!.requiredParameters) findings.push(`${where(usable[0]!)} takes arguments: fill them in where app.config.ts and the Lambda entry call it (marked ${FILL_IN}).`);
    return { kind: 'found', factory: usable[0]! };
  }
  if (factories.length === 0) {
    findings.push(
      `Found no exported function that builds your Koa app (new Koa() inside it). Fix: export one that returns the app with every route mounted, without listening (export function createApp() { const app = new Koa(); ...; return app; }), and fill it in where app.config.ts and the Lambda entry are marked ${FILL_IN}.`,
    );
  } else if (factories.length > 1) {
    findings.push(`Several functions build a Koa app: ${factories.map(where).join(', ')}. Choose the one to deploy where app.config.ts and the Lambda entry are marked ${FILL_IN}.`);
  }
  for (const f of factories) {
    if (f.async) findings.push(`${where(f)} is async: createApp must return the app itself, not a promise (the routes are read synchronously). Fix: build the app synchronously, and open connections on the first request or in the Lambda entry.`);
    else if (listening.has(f.file)) findings.push(`${where(f)} builds your app, but its module calls listen when imported (line ${listening.get(f.file)!.line}): move the listen out (below), then return ${f.exportName === 'default' ? 'it' : `${f.exportName}()`} from createApp in app.config.ts.`);
  }
  for (const l of found.listeners) {
    findings.push(
      `${l.file}:${l.line} calls listen when the module is imported. koa-apigateway imports your app to read its routes and bundles it into a Lambda, so it cannot use a module that listens: keep the listen in an entry of its own that nothing imports (e.g. src/server.ts: createApp().listen(3000)), or run it only when the file is the entry (if (require.main === module) ...).`,
    );
  }
  for (const v of found.servers) findings.push(`${v.file}:${v.line} builds the app and listens on it: return the app from a function of its own (export function createApp() { ...; return app; }) and listen in the caller, so koa-apigateway can use that function.`);
  for (const i of found.instances) findings.push(`${i.file}:${i.line} exports a Koa app built when the module is imported, not a function that builds one: wrap it (export function createApp() { const app = new Koa(); ...; return app; }) so every use gets a fresh app.`);
  const hint =
    factories.length === 0
      ? ['koa-apigateway init found no exported function that builds a Koa app (new Koa() inside it).']
      : [`koa-apigateway init found ${factories.length > 1 ? 'several functions that build a Koa app' : 'a function that builds a Koa app but cannot use it'}: ${factories.map(where).join(', ')}.`];
  return { kind: 'fill-in', hint, factories };
}

/**
 * How a file in folder `fromDir` (relative to the root) imports the chosen factory. In a CommonJS project, by its
 * path without the extension (`./src/app`), as require resolves it. In an ES module project (`esm`), by the file
 * name Node's ES module resolution needs, the JavaScript one TypeScript maps back to the source (`./src/app.js`
 * for src/app.ts, `.mjs` for `.mts`, `.cjs` for `.cts`): Node finds a relative import only by its full name
 * (https://nodejs.org/api/esm.html#mandatory-file-extensions) and `tsc` under nodenext refuses one without it (TS2835).
 */
function factoryImport(choice: Choice, fromDir: string, esm: boolean): FactoryImport {
  if (choice.kind === 'fill-in') return { kind: 'fill-in', hint: choice.hint };
  const { factory } = choice;
  const file = esm ? factory.file.replace(/\.(ts|tsx|jsx)$/, '.js') : factory.file.replace(/\.(ts|tsx|js|jsx)$/, '');
  let specifier = path.posix.relative(fromDir, file.replace(/\.mts$/, '.mjs').replace(/\.cts$/, '.cjs'));
  if (!specifier.startsWith('.')) specifier = `./${specifier}`;
  const local = factory.exportName === 'default' ? (factory.localName ?? 'createApp') : factory.exportName;
  return { kind: 'found', specifier, exportName: factory.exportName, local, needsArguments: factory.requiredParameters };
}

/** The top-level folder of a relative path (`src` of `src/app/index.ts`), or `.` for a file at the root. */
function topFolder(file: string): string {
  const [first, ...rest] = file.split('/');
  return rest.length > 0 ? first! : '.';
}

/** The first of `candidates` (relative paths) that does not exist in `root`. */
function freeName(root: string, candidates: string[]): string {
  const normal = candidates.map((c) => path.posix.normalize(c));
  return normal.find((c) => !existsSync(path.join(root, c))) ?? normal[normal.length - 1]!;
}

/** The program file name for a project with no Pulumi.yaml: the first of PROGRAM_NAMES that is free or already a koa-apigateway program. */
function programName(root: string): string {
  const name = PROGRAM_NAMES.find((n) => !existsSync(path.join(root, n)) || isProgram(path.join(root, n)));
  if (!name) {
    throw new InitError(
      `${PROGRAM_NAMES.join(', ')} all exist and none is a Pulumi program of koa-apigateway, so init has no file name for the program. Fix: write Pulumi.yaml with \`main: <a free file name>\`, then run koa-apigateway init again.`,
    );
  }
  return name;
}

/**
 * How a Pulumi.yaml's Node.js runtime loads a TypeScript program, in words for a finding, or `tsx` when its
 * nodeargs load it through tsx (`--import tsx`): through another loader its nodeargs name, with Pulumi's own
 * TypeScript support (ts-node; on unless `typescript: false`), or by Node alone. Read from the text: init writes
 * no YAML back.
 */
function pulumiLoader(text: string): string {
  const nodeargs = /^\s+nodeargs:\s*['"]?([^'"\n#]*)/m.exec(text)?.[1]?.trim() ?? '';
  const loader = /(?:^|\s)--(?:import|loader|experimental-loader|require)[=\s]+(\S+)/.exec(nodeargs)?.[1];
  if (loader === 'tsx' || loader?.startsWith('tsx/')) return 'tsx';
  if (loader) return `through its own nodeargs (${nodeargs})`;
  if (/^\s+typescript:\s*false\b/m.test(text)) return "with Node's own type stripping (Pulumi's TypeScript support is off)";
  return "with Pulumi's own TypeScript support (ts-node)";
}

/** True when `file` exists and deploys the app (imports koa-apigateway/pulumi). */
function isProgram(file: string): boolean {
  return existsSync(file) && /['"]koa-apigateway\/pulumi['"]/.test(readFileSync(file, 'utf8'));
}

/** True when .gitignore text `text` ignores the folder `line` (`dist/`): as `dist`, `dist/`, `/dist` or `/dist/`. */
function ignores(text: string, line: string): boolean {
  const name = line.replace(/\/$/, '');
  return text.split(/\r?\n/).some((l) => [name, `${name}/`, `/${name}`, `/${name}/`].includes(l.trim()));
}

/** The lines of `file` (relative to `root`) marked FILL IN, with what goes there. */
function fillInsOf(root: string, file: string): FillIn[] {
  const full = path.join(root, file);
  if (!existsSync(full)) return [];
  return readFileSync(full, 'utf8')
    .split('\n')
    .flatMap((text, i) => (text.includes(FILL_IN) ? [{ file, line: i + 1, text: text.trim().replace(/^\/\/\s*|^\/\*\s*|\s*\*\/$/g, '') }] : []));
}

/** What to run next: the local gateway, the plan, the deployment; each by the script the project calls it with. */
function nextSteps(scripts: ScriptChange[], manager: PackageManager): string[] {
  const name = (cmd: string) => runScriptCommand(scripts.find((s) => s.command === `koa-apigateway ${cmd}`)!.name, manager);
  return [
    `${name('start')}: the API on this machine behind the local API Gateway (its key is printed)`,
    `${name('synth')}: what pulumi up would create, without AWS`,
    `${name('conformance')}: the API checked against its own OpenAPI document`,
    'pulumi login --local && pulumi stack init dev && pulumi up: deploy it (AWS credentials in the environment)',
  ];
}

/**
 * Returns the app descriptor's own `lambda` field, read from its text: of every `lambda: '<file>'` in it, the least
 * indented (a function group's `lambda`, nested under `functions`, is indented further); undefined when none.
 */
export function lambdaField(descriptorText: string): string | undefined {
  let best: { indent: number; file: string } | undefined;
  for (const m of descriptorText.matchAll(/^([ \t]*)lambda\s*:\s*['"]([^'"]+)['"]/gm)) {
    const indent = m[1]!.length;
    if (!best || indent < best.indent) best = { indent, file: m[2]! };
  }
  return best?.file;
}
