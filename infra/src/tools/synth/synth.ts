/**
 * The synth: runs the user's Pulumi program (index.ts) in-process under Pulumi's mocks (./mocks.ts) and
 * returns what `pulumi up` would create (type, name, parent, inputs) and the stack outputs, secrets masked;
 * formats it as a plan. No cloud, no Pulumi CLI. `koa-apigateway synth` (infra/src/cli/commands/synth.ts) is its command line;
 * tests and the bench use the mocks directly.
 */
import * as pulumi from '@pulumi/pulumi';
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { describeFailure, VisibleError } from '../../errors';
import { appFile, loadApp } from '../../app/load';
import { readStackConfig } from '../../settings/stack-files';
import { installMocks, maskSecrets, settle, type AccountState, type RecordedResource } from './mocks';
import { programFile, projectRoot } from '../../project';
import { assertPulumiCanLoad } from './program-load';
import { type FunctionGroups } from '../../core/plan/functions';

export { installMocks, type AccountState } from './mocks';

/** What to synthesize: the stack (its Pulumi.<stack>.yaml), config overrides (`key` → value), the account's state. */
export interface SynthOptions {
  stack: string;
  overrides: Record<string, string>;
  account?: AccountState;
}

export interface SynthResult {
  /** The Pulumi project (Pulumi.yaml `name`): the namespace of its config keys, and the first half of the stack's name. */
  project: string;
  /** What `pulumi up` creates; reads of existing resources (`read: true`) create nothing. */
  resources: { type: string; name: string; parent: string | null; inputs: Record<string, unknown>; read?: boolean }[];
  outputs: Record<string, unknown>;
  /** The functions `pulumi up` would create, one per function group, with the routes each serves (functionTable). */
  functions?: FunctionRow[];
  /** The descriptor's function groups that serve no route in this stack: nothing is deployed for them. */
  undeployedGroups?: string[];
  /**
   * What `pulumi preview` would warn about: every warning the program logs while it runs (a function pattern matching
   * no route, a group's timeout over API Gateway's 29 s, a setting that does not do what it seems), once each, in order.
   */
  warnings?: string[];
}

/** One function of the plan (synth's per-group table). */
export interface FunctionRow {
  /** The function group: `default`, or the group named in the descriptor or the code. */
  group: string;
  /** The Function resource's name (`<name>-fn`, `<name>-<group>-fn`). */
  resource: string;
  /** The routes whose integration invokes it, `METHOD /path`, sorted. */
  routes: string[];
  /** Its routes' integrations stream (`responseTransferMode: STREAM`, docs/streaming.md). */
  stream?: true;
  memorySize: number;
  timeoutSeconds: number;
  architecture: string;
  /** Reserved concurrent executions; undefined: unreserved. */
  reservedConcurrency?: number;
  /** The names of its role's inline policies (the `logs` one included). */
  policies: string[];
  /** Bytes of its bundle (`index.mjs`), when its code is a file. */
  bundleBytes?: number;
}

const MASK = '[secret]';

/**
 * Runs the program under mocks for a stack and returns its resources and outputs, secrets masked. Throws
 * ProgramLoadError first when pulumi up could not load the program as synth does (./program-load.ts).
 */
export async function synth(options: SynthOptions): Promise<SynthResult> {
  const root = projectRoot();
  // synth loads the program through tsx, which is lenient where pulumi up is not: refused here, as pulumi up would.
  await assertPulumiCanLoad(root, programFile(root), appFile());
  // The app's own keys are the descriptor's (a stack setting one is no typo), as the program reads them.
  const { name: project, all: config } = readStackConfig({ root, stack: options.stack, overrides: options.overrides, app: loadApp().settings ?? {} });
  // The project's own name: the program reads `<project>:<key>` (pulumi.getProject()), as under `pulumi up`.
  const mocks = await installMocks({ project, stack: options.stack, config, preview: false, account: options.account ?? 'fresh' });
  const outputs: Record<string, unknown> = {};
  const secrets: string[] = [];
  // What the program warns about (pulumi.log.warn: a pattern matching no route, a group's timeout over 29 s, a setting
  // that does not do what it seems...), collected while it runs, as `pulumi preview` shows it; listed once in the plan.
  const warnings = collectWarnings();
  try {
    // The program itself, exactly as `pulumi up` runs it (config → spec → bundle → component).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const program = require(programFile(root)) as Record<string, unknown>;
    for (const [name, value] of Object.entries(program)) {
      // Plain exports (e.g. `routes`) are stack outputs too; functions are not.
      if (value === undefined || typeof value === 'function') continue;
      outputs[name] = await resolveOutput(value, secrets);
    }
    await settle();
  } finally {
    warnings.stop();
  }
  const resources = await Promise.all(mocks.resources.map(describe));
  const functions = await functionTable(resources);
  return redact({ project, resources, outputs, functions, undeployedGroups: undeployedGroups(loadApp().functions, functions), warnings: [...new Set(warnings.messages)] }, secrets);
}

/**
 * Starts collecting what the program logs with `pulumi.log.warn`, every warning `pulumi preview` would show, from
 * deployApp (a function pattern matching no route) as from inside the component (a group's timeout over API
 * Gateway's 29 s, settings warnings), for the plan's Warnings: list, instead of logging them. `stop` ends the collection.
 */
function collectWarnings(): { messages: string[]; stop(): void } {
  const messages: string[] = [];
  const warn = pulumi.log.warn;
  // Collected, not printed as they come: the plan lists them once, under Warnings: (they were printed twice).
  pulumi.log.warn = async (...args: Parameters<typeof warn>) => {
    messages.push(args[0]);
  };
  return {
    messages,
    stop: () => {
      pulumi.log.warn = warn;
    },
  };
}

/**
 * Returns a stack output's value as `pulumi up` records it: Outputs and promises resolved at any depth (inside
 * plain objects and arrays, as the `functions` output holds each group's function name), a secret Output (at the top
 * or nested) as `[secret]`, its value, when a non-empty string, added to `secrets` so it is redacted wherever else it
 * shows. A resource prints as its URN; functions and undefined values are left out, as JSON leaves them out.
 */
async function resolveOutput(value: unknown, secrets: string[]): Promise<unknown> {
  if (pulumi.Output.isInstance(value)) {
    const resolved = await new Promise<unknown>((done) => value.apply((v) => done(v)));
    if (await pulumi.isSecret(value)) {
      if (typeof resolved === 'string' && resolved.length > 0) secrets.push(resolved);
      return MASK;
    }
    return resolveOutput(resolved, secrets);
  }
  if (pulumi.Resource.isInstance(value)) return resolveOutput(value.urn, secrets);
  const v = await value;
  if (Array.isArray(v)) return Promise.all(v.map((x) => resolveOutput(x, secrets)));
  if (!v || typeof v !== 'object' || ![Object.prototype, null].includes(Object.getPrototypeOf(v))) return v;
  const entries = await Promise.all(Object.entries(v).filter(([, x]) => x !== undefined && typeof x !== 'function').map(async ([k, x]) => [k, await resolveOutput(x, secrets)] as const));
  return Object.fromEntries(entries);
}

/** The descriptor's named groups that serve no route (their routes are not mounted in this stack, or none match). */
function undeployedGroups(groups: FunctionGroups | undefined, functions: readonly FunctionRow[]): string[] {
  if (!groups || groups === 'per-route') return [];
  return Object.keys(groups).filter((g) => !functions.some((f) => f.group === g)).sort();
}

const FUNCTION_TYPE = 'aws:lambda/function:Function';

/**
 * Returns the plan's functions, one row per Function resource, sorted by group: its group (from its resource name,
 * `<name>-fn` is `default`, `<name>-<group>-fn` the group's), its settings, its role's inline policies, its bundle's size,
 * and the routes whose integration in the RestApi's body invokes it (the body's `uri` names the function: the mocks
 * name it `<resource name>-<suffix>`).
 */
export async function functionTable(resources: SynthResult['resources']): Promise<FunctionRow[]> {
  const functions = resources.filter((r) => r.type === FUNCTION_TYPE && !r.read);
  if (functions.length === 0) return [];
  const component = functions[0]!.parent ?? '';
  const api = resources.find((r) => r.type === 'aws:apigateway/restApi:RestApi');
  const invoked = new Map<string, string[]>();
  const streamed = new Set<string>();
  try {
    const paths = (JSON.parse(String(api?.inputs.body ?? '{}')) as { paths?: Record<string, Record<string, { 'x-amazon-apigateway-integration'?: { uri?: string; responseTransferMode?: string } }>> }).paths ?? {};
    for (const [route, item] of Object.entries(paths)) {
      for (const [method, operation] of Object.entries(item)) {
        const uri = operation?.['x-amazon-apigateway-integration']?.uri;
        const fn = uri ? /:function:([^/:]+)/.exec(uri)?.[1] : undefined;
        if (fn) (invoked.get(fn) ?? invoked.set(fn, []).get(fn)!).push(`${method.toUpperCase()} ${route}`);
        if (fn && operation?.['x-amazon-apigateway-integration']?.responseTransferMode === 'STREAM') streamed.add(fn);
      }
    }
  } catch {
    // A body that is not JSON: no routes to show.
  }
  const rows: FunctionRow[] = [];
  for (const fn of functions) {
    const prefix = fn.name.replace(/-fn$/, '');
    const group = prefix === component ? 'default' : prefix.startsWith(`${component}-`) ? prefix.slice(component.length + 1) : prefix;
    const roleId = `${prefix}-fn-role-id`;
    const policies = resources
      .filter((r) => r.type === 'aws:iam/rolePolicy:RolePolicy' && r.inputs.role === roleId)
      .map((r) => r.name.slice(`${prefix}-fn-`.length).replace(/-policy$/, ''))
      .sort();
    const mine = (name: string) => name === fn.name || name.startsWith(`${fn.name}-`);
    const routes = [...invoked.entries()].filter(([name]) => mine(name)).flatMap(([, r]) => r).sort();
    const architectures = fn.inputs.architectures as string[] | undefined;
    const bundleBytes = await bundleSize(fn.inputs.code);
    rows.push({
      group,
      resource: fn.name,
      routes,
      ...([...streamed].some(mine) ? { stream: true as const } : {}),
      memorySize: Number(fn.inputs.memorySize),
      timeoutSeconds: Number(fn.inputs.timeout),
      architecture: architectures?.[0] ?? 'x86_64',
      ...(typeof fn.inputs.reservedConcurrentExecutions === 'number' ? { reservedConcurrency: fn.inputs.reservedConcurrentExecutions } : {}),
      policies,
      ...(bundleBytes !== undefined ? { bundleBytes } : {}),
    });
  }
  return rows.sort((a, b) => (a.group < b.group ? -1 : a.group > b.group ? 1 : 0));
}

/** Bytes of `index.mjs` in a summarised archive (`{ archive: { 'index.mjs': 'file:<path> sha256:...' } }`), if it is a file. */
async function bundleSize(code: unknown): Promise<number | undefined> {
  const entry = (code as { archive?: Record<string, unknown> } | undefined)?.archive?.['index.mjs'];
  const file = typeof entry === 'string' ? /^file:(\S+)/.exec(entry)?.[1] : undefined;
  if (!file) return undefined;
  try {
    return (await stat(path.resolve(projectRoot(), file))).size;
  } catch {
    return undefined;
  }
}

async function describe(r: RecordedResource): Promise<SynthResult['resources'][number]> {
  return { type: r.type, name: r.name, parent: r.parent ?? null, inputs: maskSecrets(await summariseAssets(r.inputs)) as Record<string, unknown>, ...(r.read ? { read: true } : {}) };
}

/**
 * Assets and archives print as their files (relative path and sha256, so a changed bundle shows in
 * a plan diff), never as their contents. The mocks hand them over with promised fields.
 */
async function summariseAssets(value: unknown): Promise<unknown> {
  const v = await value;
  if (Array.isArray(v)) return Promise.all(v.map(summariseAssets));
  if (!v || typeof v !== 'object') return v;
  const o = v as Record<string, unknown>;
  if (o.__pulumiArchive) {
    const assets = (await o.assets) as Record<string, unknown> | undefined;
    if (assets) {
      const entries = await Promise.all(Object.entries(assets).map(async ([k, a]) => [k, await summariseAssets(a)] as const));
      return { archive: Object.fromEntries(entries) };
    }
    return { archive: `file:${path.relative(projectRoot(), String(await o.path))}` };
  }
  if (o.__pulumiAsset) {
    const file = await o.path;
    if (typeof file === 'string') return `file:${path.relative(projectRoot(), file)} sha256:${await fileHash(file)}`;
    const text = await o.text;
    if (typeof text === 'string') return `text:${text.length} bytes sha256:${createHash('sha256').update(text).digest('hex').slice(0, 16)}`;
    return 'asset';
  }
  const entries = await Promise.all(Object.entries(o).map(async ([k, x]) => [k, await summariseAssets(x)] as const));
  return Object.fromEntries(entries);
}

async function fileHash(file: string): Promise<string> {
  try {
    return createHash('sha256').update(await readFile(file)).digest('hex').slice(0, 16);
  } catch {
    return 'missing';
  }
}

/** Replaces every occurrence of a secret value anywhere in the result: the key must never print. */
function redact(result: SynthResult, secrets: readonly string[]): SynthResult {
  let text = JSON.stringify(result);
  for (const secret of secrets) text = text.split(secret).join(MASK);
  return JSON.parse(text) as SynthResult;
}

/** Returns what the plan counts: "21 resources" (created), then ", 1 read" when it reads existing ones. */
export function countResources(result: SynthResult): string {
  const created = result.resources.filter((r) => !r.read).length;
  const reads = result.resources.length - created;
  return `${created} resources${reads ? `, ${reads} read` : ''}`;
}

/** Returns the human-readable plan of the result's project and `stack`: one block per resource, then the outputs. */
export function formatPlan(result: SynthResult, stack: string): string {
  const lines = [`Stack ${result.project}/${stack}: ${countResources(result)} (mocked: ids and ARNs are placeholders; nothing is deployed)`, ''];
  for (const r of result.resources) {
    lines.push(`${r.read ? '=' : '+'} ${r.type}  ${r.name}${r.parent ? `  (parent: ${r.parent})` : ''}${r.read ? '  (read)' : ''}`);
    for (const [key, value] of Object.entries(r.inputs)) {
      const text = typeof value === 'string' ? value : JSON.stringify(value);
      lines.push(`    ${key}: ${text.length > 160 ? `${text.slice(0, 157)}...` : text}`);
    }
    // The body (the whole API definition) is cut above: its operations, one a line, show what is deployed.
    if (r.type === 'aws:apigateway/restApi:RestApi') lines.push(...definitionOperations(r.inputs.body));
  }
  if (result.functions) lines.push('', ...formatFunctions(result));
  lines.push('', 'Outputs:');
  for (const [key, value] of Object.entries(result.outputs)) lines.push(`    ${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`);
  return lines.join('\n');
}

/**
 * Returns the per-group table of the plan: one block per function (group, resource, memory, timeout, architecture,
 * reserved concurrency, bundle size, policies, then its routes), the descriptor's groups not deployed, and the
 * program's warnings (the groups', the settings').
 */
export function formatFunctions(result: Pick<SynthResult, 'functions' | 'undeployedGroups' | 'warnings'>): string[] {
  const functions = result.functions ?? [];
  const lines = [`Functions (${functions.length}):`];
  for (const f of functions) {
    const size = f.bundleBytes !== undefined ? `, bundle ${(f.bundleBytes / 1024).toFixed(1)} KB` : '';
    lines.push(
      `  ${f.group}  (${f.resource}): ${f.memorySize} MB, ${f.timeoutSeconds} s, ${f.architecture}, ${f.reservedConcurrency !== undefined ? `reserved concurrency ${f.reservedConcurrency}` : 'unreserved'}${size}${f.stream ? ', streams responses (responseTransferMode STREAM)' : ''}`,
      `    policies: ${f.policies.join(', ') || 'none'}`,
      ...f.routes.map((r) => `    ${r}`),
    );
  }
  for (const group of result.undeployedGroups ?? []) lines.push(`  ${group}  no routes: not deployed`);
  if (result.warnings && result.warnings.length > 0) lines.push('', 'Warnings:', ...result.warnings.map((w) => `  ${w}`));
  return lines;
}

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'x-amazon-apigateway-any-method'];

/**
 * Returns "    operations in the body:" and one `METHOD /path  operationId` line per operation of an OpenAPI body (JSON text),
 * `  STREAM` after a streamed one (its integration's responseTransferMode: docs/streaming.md),
 * then, when the body has `x-amazon-apigateway-binary-media-types`, "    binaryMediaTypes (from the body): a, b" (the
 * RestApi's binaryMediaTypes once imported: docs/binary.md), and when it has `x-amazon-apigateway-minimum-compression-size`,
 * "    minimumCompressionSize (from the body): N bytes" (docs/compression.md), else a line saying compression is off.
 */
function definitionOperations(body: unknown): string[] {
  let paths: Record<string, Record<string, { operationId?: string; 'x-amazon-apigateway-integration'?: { responseTransferMode?: string } }>> | undefined;
  let binary: unknown;
  let compression: unknown;
  try {
    const parsed = typeof body === 'string' ? (JSON.parse(body) as { paths?: typeof paths; 'x-amazon-apigateway-binary-media-types'?: unknown; 'x-amazon-apigateway-minimum-compression-size'?: unknown }) : undefined;
    paths = parsed?.paths;
    binary = parsed?.['x-amazon-apigateway-binary-media-types'];
    compression = parsed?.['x-amazon-apigateway-minimum-compression-size'];
  } catch {
    return [];
  }
  const binaryLine = [
    ...(Array.isArray(binary) && binary.length > 0 ? [`    binaryMediaTypes (from the body): ${binary.join(', ')}`] : []),
    typeof compression === 'number' ? `    minimumCompressionSize (from the body): ${compression} bytes` : '    minimumCompressionSize: none (payload compression off; the stack setting minimumCompressionSize turns it on: docs/compression.md)',
  ];
  if (!paths || typeof paths !== 'object') return [];
  const lines: string[] = [];
  for (const [route, item] of Object.entries(paths)) {
    for (const [method, operation] of Object.entries(item ?? {})) {
      if (!HTTP_METHODS.includes(method)) continue;
      const name = method === 'x-amazon-apigateway-any-method' ? 'ANY' : method.toUpperCase();
      const streams = operation?.['x-amazon-apigateway-integration']?.responseTransferMode === 'STREAM' ? '  STREAM' : '';
      lines.push(`      ${name.padEnd(7)} ${route}${operation?.operationId ? `  ${operation.operationId}` : ''}${streams}`);
    }
  }
  return [...(lines.length ? ['    operations in the body:', ...lines] : []), ...binaryLine];
}

/**
 * What `koa-apigateway synth` prints for a failure: describeFailure's (a VisibleError's message alone, a bug's
 * stack). A check raised inside an `apply` (e.g. the account's CloudWatch role) reaches us as Pulumi's
 * rejection of the component's outputs, its message prefixed with "error serializing property ...: " (the
 * error object is the check's own, so still a VisibleError): the prefix is Pulumi's plumbing and is cut.
 * A user error about a key given with `--config` (`overrides`) has its fix in synth's terms: see {@link inSynthTerms}.
 */
export function failureMessage(error: unknown, overrides: Readonly<Record<string, string>> = {}): string {
  const text = describeFailure(error).replace(/^(error serializing property "[^"]*": )+/, '');
  // A user error reaches synth as itself or, from deployApp/KoaGateway, as the pulumi.RunError wrapping it (its cause).
  const visible = error instanceof VisibleError || (error instanceof Error && error.cause instanceof VisibleError);
  return visible ? inSynthTerms(text, overrides) : text;
}

/** A value in a fix: `<value>`, a quoted string, or a word (a sentence's closing period or comma left out). */
const FIX_VALUE = String.raw`(<[^>]*>|"[^"]*"|[^\s,;)]*[^\s,;).])`;

/**
 * Returns `message` (a user error's) with its fixes for the keys given with `--config` (`overrides`, `key` or
 * `project:key` → value) in synth's terms: that value came from the command line, not from the stack, so
 * `pulumi config rm K && pulumi config set N V` (a mistyped key) reads `--config N=V instead of --config K=...`,
 * `pulumi config set K V` reads `--config K=V`, `pulumi config rm K` reads `leave out --config K=...`, and the
 * stack file it would be edited in is not named. Fixes about keys the stack sets stay `pulumi config` commands.
 */
export function inSynthTerms(message: string, overrides: Readonly<Record<string, string>>): string {
  const given = new Map<string, string>();
  for (const [key, value] of Object.entries(overrides)) {
    given.set(key, `--config ${key}=${value}`);
    const bare = key.slice(key.lastIndexOf(':') + 1);
    if (!given.has(bare)) given.set(bare, `--config ${key}=${value}`);
  }
  if (given.size === 0) return message;
  let removed = false;
  let out = message.replace(new RegExp(String.raw`pulumi config rm (\S+) && pulumi config set (\S+) ${FIX_VALUE}`, 'g'), (whole, key: string, near: string, value: string) => {
    if (!given.has(key)) return whole;
    removed = true;
    return `--config ${near}=${value} instead of ${given.get(key)}`;
  });
  out = out.replace(/pulumi config rm ([^\s,;)]*[^\s,;).])/g, (whole, key: string) => {
    if (!given.has(key)) return whole;
    removed = true;
    return `leave out ${given.get(key)}`;
  });
  let set = false;
  out = out.replace(new RegExp(String.raw`pulumi config set (\S+) ${FIX_VALUE}`, 'g'), (whole, key: string, value: string) => {
    if (!given.has(key)) return whole;
    set = true;
    return `--config ${key}=${value}`;
  });
  if (removed) out = out.replace(" (or edit the stack's Pulumi.<stack>.yaml)", '');
  if (set) out = out.replace(/\(or remove it to use the default /g, "(or leave it out for the stack's value, else the default ");
  return out;
}
