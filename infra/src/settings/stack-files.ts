import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { InvalidStackNameError, ProjectFileError, SettingsError, UnknownStackError } from '../errors';
import { projectRoot } from '../project';
import { assertProjectNamespace } from './namespace';
import { assertKnownKeys } from './parse';
import { closest } from './suggest';
import type { AppSettingDeclarations } from './types';

/**
 * Reading a stack's config from its files, without the Pulumi CLI: Pulumi.yaml (the project's `name` and
 * its `config:` defaults) and `Pulumi.<stack>.yaml` (the stack's values). The commands (`start`, `synth`,
 * `openapi`, `conformance`, `client`) read settings here; `pulumi up` reads the same keys through
 * infra/src/pulumi/config.ts.
 */

/** Pulumi's stack name rule (see {@link InvalidStackNameError}). */
export const STACK_NAME = /^[a-zA-Z0-9-_.]{1,100}$/;

export interface ReadStackOptions {
  /** The app's own config keys (its descriptor's `settings`); default: none, so a stack setting one is refused. */
  app?: AppSettingDeclarations;
  /** Directory holding Pulumi.yaml (default: the project root, see projectRoot). */
  root?: string;
  /** Stack name: reads `Pulumi.<stack>.yaml`, which must exist (UnknownStackError otherwise; default `dev`). */
  stack?: string;
  /** Values that win over both files (key without the project prefix). */
  overrides?: Record<string, string>;
}

/** The raw config of a stack: the project's name, its keys (prefix removed) and every namespaced key (e.g. `aws:region`). */
export interface StackConfig {
  /** The Pulumi project's name (Pulumi.yaml `name`): the namespace of its keys, `<name>:rateLimit`. */
  name: string;
  project: Record<string, string>;
  all: Record<string, string>;
}

/** The stacks configured in `root`: the `<stack>` of every `Pulumi.<stack>.yaml`, sorted. */
export function knownStacks(root: string): string[] {
  return readdirSync(root)
    .map((f) => /^Pulumi\.(.+)\.ya?ml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();
}

/**
 * Throws InvalidStackNameError for a name Pulumi refuses (before it becomes a path) and UnknownStackError
 * unless `Pulumi.<stack>.yaml` exists in `root` (default: the project root): a typo in `--stack` never
 * reads a stack nobody has (e.g. without its CORS origins).
 */
export function assertStackExists(stack: string, root = projectRoot()): void {
  if (!STACK_NAME.test(stack)) throw new InvalidStackNameError(stack);
  if (!existsSync(path.join(root, `Pulumi.${stack}.yaml`))) throw new UnknownStackError(stack, knownStacks(root));
}

/**
 * Returns the raw config a stack would have: Pulumi.yaml `config:` defaults, then `Pulumi.<stack>.yaml`
 * values for this project, then `overrides`; values as strings. Throws InvalidStackNameError for a name
 * Pulumi refuses, ProjectFileError without a Pulumi.yaml naming the project, UnknownStackError when
 * `Pulumi.<stack>.yaml` does not exist, UnknownNamespaceError for a key under a misspelt project name and
 * UnknownSettingError for a key of this project that is neither the gateway's nor the app's: a typo never
 * silently means the default.
 */
export function readStackConfig(options: ReadStackOptions = {}): StackConfig {
  const root = options.root ?? projectRoot();
  const stack = options.stack ?? 'dev';
  if (!STACK_NAME.test(stack)) throw new InvalidStackNameError(stack);
  const { name, config } = readProject(root);
  const all: Record<string, string> = {};
  const declaredInProject = new Set(projectConfigKeys(config, name));
  const setInStack = new Set<string>();
  for (const [key, declared] of Object.entries(config)) {
    // `key: value` is a plain default; `key: {type, default, description}` may have no default at all.
    const isDeclaration = declared !== null && typeof declared === 'object' && !Array.isArray(declared);
    const value = isDeclaration ? (declared as { default?: unknown; value?: unknown }).default ?? (declared as { value?: unknown }).value : declared;
    if (value !== undefined && value !== null) all[key.includes(':') ? key : `${name}:${key}`] = stringify(value);
  }
  const stackFile = path.join(root, `Pulumi.${stack}.yaml`);
  if (!existsSync(stackFile)) throw new UnknownStackError(stack, knownStacks(root));
  const stackDoc = readYaml(stackFile) as { config?: Record<string, unknown> } | undefined;
  assertStackFileKeys(stackFile, stackDoc);
  for (const [key, value] of Object.entries(stackDoc?.config ?? {})) {
    if (value && typeof value === 'object' && 'secure' in value) continue; // encrypted: only the Pulumi CLI can read it
    // The provider takes a Region's name, not a list or a map that would read as one once joined.
    if (key === 'aws:region' && typeof value !== 'string') assertRegionName(JSON.stringify(value));
    all[key.includes(':') ? key : `${name}:${key}`] = stringify(value);
    setInStack.add(key.includes(':') ? key : `${name}:${key}`);
  }
  for (const [key, value] of Object.entries(options.overrides ?? {})) all[key.includes(':') ? key : `${name}:${key}`] = value;
  assertProjectNamespace(Object.keys(all), name);
  assertRegionName(all['aws:region']);
  const projectConfig: Record<string, string> = {};
  for (const [key, value] of Object.entries(all)) if (key.startsWith(`${name}:`)) projectConfig[key.slice(name.length + 1)] = value;
  assertKnownKeys(Object.keys(projectConfig), options.app ?? {}, (key) => ({ declaredInProject: declaredInProject.has(key), setInStack: setInStack.has(`${name}:${key}`) }), name);
  return { name, project: projectConfig, all };
}

/**
 * The keys of the project in `root` (default: the project root; without the prefix) that Pulumi.yaml's
 * `config:` declares; none when there is no Pulumi.yaml.
 */
export function projectDeclaredKeys(root = projectRoot()): string[] {
  if (!existsSync(path.join(root, 'Pulumi.yaml'))) return [];
  const { name, config } = readProject(root);
  return projectConfigKeys(config, name);
}

/** Returns the name of the Pulumi project in `root` (default: the project root): its Pulumi.yaml `name`, the namespace of its config keys. Throws ProjectFileError without one. */
export function projectName(root = projectRoot()): string {
  return readProject(root).name;
}

/** The project's name and `config:` block, from `root`'s Pulumi.yaml; throws ProjectFileError when there is none or it names no project. */
function readProject(root: string): { name: string; config: Record<string, unknown> } {
  const file = path.join(root, 'Pulumi.yaml');
  if (!existsSync(file)) {
    throw new ProjectFileError(
      `There is no Pulumi.yaml in ${root}, so no stack's settings can be read. ` +
        "Fix: npx koa-apigateway init (writes Pulumi.yaml, Pulumi.dev.yaml, index.ts and app.config.ts), or run the command in the project's folder.",
    );
  }
  const project = readYaml(file) as { name?: unknown; config?: Record<string, unknown> } | undefined;
  if (typeof project?.name !== 'string' || project.name === '') {
    throw new ProjectFileError(
      `${file} has no \`name\`: Pulumi needs the project's name, the namespace of its config keys. ` +
        'Fix: add `name: <your project>` to it (lower-case letters, digits and -).',
    );
  }
  return { name: project.name, config: project.config ?? {} };
}

function projectConfigKeys(config: Record<string, unknown>, name: string): string[] {
  return Object.keys(config)
    .filter((key) => !key.includes(':') || key.startsWith(`${name}:`))
    .map((key) => (key.includes(':') ? key.slice(name.length + 1) : key));
}

/**
 * The shape of an AWS Region's name: a partition prefix of 2 to 4 letters, optional words, a direction and a number
 * (us-east-1, us-gov-west-1, cn-northwest-1, us-isob-east-1, eusc-de-east-1; "AWS Regions",
 * https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html). A shape, not a list, so a
 * Region AWS opens later is not refused; a typo (`us-easst-1`, `us-east1`, `useast-1`) is.
 */
const AWS_REGION_NAME = /^[a-z]{2,4}(?:-[a-z]+)*-(?:north|south|east|west|central|northeast|northwest|southeast|southwest)-\d{1,2}$/;

/**
 * Throws SettingsError when `aws:region` is set to something that is not the name of an AWS Region: the AWS
 * provider refuses it at `pulumi up`, and until then `synth` and `start` would show ARNs and URLs in it.
 */
function assertRegionName(region: string | undefined): void {
  if (region === undefined || AWS_REGION_NAME.test(region)) return;
  throw new SettingsError('aws:region', region, 'not the name of an AWS Region (such as us-east-1, eu-west-2, ap-southeast-1)', 'pulumi config set aws:region <region>, such as us-east-1 (the Regions: https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html)');
}

/**
 * The top-level keys of a stack settings file, `Pulumi.<stack>.yaml` (Pulumi's "Stack settings file reference",
 * https://www.pulumi.com/docs/iac/concepts/projects/stack-settings-file/#attributes).
 */
const STACK_FILE_KEYS = ['secretsprovider', 'encryptedkey', 'encryptionsalt', 'config', 'environment'];

/**
 * Throws ProjectFileError when the stack file holds a top-level key that is not one of {@link STACK_FILE_KEYS}
 * (a misspelt `confg:` block, or keys that lost their indentation under `config:`): its values would be read by
 * no one, so the stack would silently run on the defaults. Names the file, the key, the nearest known key and the fix.
 */
function assertStackFileKeys(file: string, doc: unknown): void {
  if (doc === null || doc === undefined) return;
  if (typeof doc !== 'object' || Array.isArray(doc)) {
    throw new ProjectFileError(`${path.basename(file)} is not a map of settings. Fix: write its values under one \`config:\` block (config:\n  aws:region: us-east-1), then run the command again.`);
  }
  const config = (doc as { config?: unknown }).config;
  if (config !== undefined && config !== null && (typeof config !== 'object' || Array.isArray(config))) {
    throw new ProjectFileError(`${path.basename(file)}'s \`config:\` is ${Array.isArray(config) ? 'a list' : `${JSON.stringify(config)}`}, not a map of keys to values. Fix: write each setting as key: value, indented under config: (config:\n  aws:region: us-east-1), then run the command again.`);
  }
  for (const key of Object.keys(doc)) {
    if (STACK_FILE_KEYS.includes(key)) continue;
    const near = closest(key, STACK_FILE_KEYS);
    throw new ProjectFileError(
      `${path.basename(file)} has a top-level key "${key}"${near ? ` (did you mean "${near}"?)` : ''}, which is not a key of a Pulumi stack file (${STACK_FILE_KEYS.join(', ')}): what it holds would be ignored. ` +
        `Fix: ${near === 'config' ? `rename it config` : `move it under the \`config:\` block, indented, or remove it`}, then run the command again.`,
    );
  }
}

/** Parses a Pulumi YAML file; ProjectFileError naming the file, the line and the fix when it is not valid YAML. */
function readYaml(file: string): unknown {
  try {
    return parseYaml(readFileSync(file, 'utf8'));
  } catch (error) {
    if (!(error instanceof Error) || error.name !== 'YAMLParseError') throw error;
    const where = (error as Error & { linePos?: Array<{ line: number; col: number }> }).linePos?.[0];
    throw new ProjectFileError(
      `${path.basename(file)} is not valid YAML${where ? ` (line ${where.line}, column ${where.col})` : ''}: ${error.message.split('\n')[0]} Fix: correct ${file} (one \`config:\` block, keys indented under it), then run the command again.`,
    );
  }
}

function stringify(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(String).join(',');
  return String(value);
}
