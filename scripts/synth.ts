/**
 * `npm run synth [-- --json] [--out FILE] [--stack NAME] [--config key=value ...] [--account fresh|role-set]`: runs the
 * Pulumi program (index.ts) in-process under Pulumi's mocks and prints the resources `pulumi up` would create
 * (type, name, parent, inputs) and the stack outputs, secrets masked. No cloud, no Pulumi CLI.
 * Values the cloud assigns (ids, ARNs, the key) are placeholders from the mocks. `--account` says what
 * the read of the account's API Gateway settings finds: `fresh` (default: no CloudWatch role, as a
 * new account, so manageCloudWatchRole auto creates one) or `role-set` (another stack set it).
 * `--out FILE` writes the plan (JSON with --json, or when FILE ends in `.json`) to FILE instead of stdout, so it can be saved and diffed:
 * npm prints its own `> koa-apigateway-pulumi@… synth` banner on stdout, which `> plan.json` would capture.
 */
import * as pulumi from '@pulumi/pulumi';
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { installMocks, maskSecrets, settle, type AccountState, type RecordedResource } from '../infra/gateway/mocks';
import { readStackConfig } from '../infra/settings';

interface Options {
  json: boolean;
  /** Write the plan here instead of stdout (relative to the directory npm was run from). */
  out?: string;
  stack: string;
  overrides: Record<string, string>;
  account: AccountState;
}

export interface SynthResult {
  /** What `pulumi up` creates; reads of existing resources (`read: true`) create nothing. */
  resources: { type: string; name: string; parent: string | null; inputs: Record<string, unknown>; read?: boolean }[];
  outputs: Record<string, unknown>;
}

const ROOT = path.resolve(__dirname, '..');
const MASK = '[secret]';

/** Returns the parsed command line; throws with usage on anything unknown. */
export function parseArgs(argv: readonly string[]): Options {
  const options: Options = { json: false, stack: 'dev', overrides: {}, account: 'fresh' };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--json') options.json = true;
    else if (arg === '--out') options.out = required(argv[++i], '--out FILE');
    else if (arg.startsWith('--out=')) options.out = required(arg.slice('--out='.length), '--out FILE');
    else if (arg === '--stack') options.stack = required(argv[++i], '--stack NAME');
    else if (arg.startsWith('--stack=')) options.stack = arg.slice('--stack='.length);
    else if (arg === '--account' || arg.startsWith('--account=')) {
      const value = arg === '--account' ? required(argv[++i], '--account fresh|role-set') : arg.slice('--account='.length);
      if (value !== 'fresh' && value !== 'role-set') throw new Error(`--account expects fresh or role-set, got "${value}".`);
      options.account = value;
    }
    else if (arg === '--config' || arg.startsWith('--config=')) {
      const pair = arg === '--config' ? required(argv[++i], '--config key=value') : arg.slice('--config='.length);
      const eq = pair.indexOf('=');
      if (eq <= 0) throw new Error(`--config expects key=value, got "${pair}". Example: --config rateLimit=50`);
      options.overrides[pair.slice(0, eq)] = pair.slice(eq + 1);
    } else throw new Error(`Unknown argument "${arg}". Usage: npm run synth -- [--json] [--out FILE] [--stack NAME] [--config key=value ...] [--account fresh|role-set]`);
  }
  // A file named *.json gets JSON: text in it would only fail whatever reads it next.
  if (options.out !== undefined && /\.json$/i.test(options.out)) options.json = true;
  return options;
}

/** Runs the program under mocks for a stack and returns its resources and outputs, secrets masked. */
export async function synth(options: Pick<Options, 'stack' | 'overrides'> & Partial<Pick<Options, 'account'>>): Promise<SynthResult> {
  const config = readStackConfig({ root: ROOT, stack: options.stack, overrides: options.overrides }).all;
  const mocks = await installMocks({ stack: options.stack, config, preview: false, account: options.account ?? 'fresh' });
  // The program itself, exactly as `pulumi up` runs it (config → spec → bundle → component).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const program = require('../index') as Record<string, unknown>;
  const outputs: Record<string, unknown> = {};
  const secrets: string[] = [];
  for (const [name, value] of Object.entries(program)) {
    if (!pulumi.Output.isInstance(value)) {
      // Plain exports (e.g. `routes`) are stack outputs too.
      if (value !== undefined && typeof value !== 'function') outputs[name] = value;
      continue;
    }
    const resolved = await new Promise<unknown>((done) => value.apply((v) => done(v)));
    if (await pulumi.isSecret(value)) {
      outputs[name] = MASK;
      if (typeof resolved === 'string' && resolved.length > 0) secrets.push(resolved);
    } else outputs[name] = resolved;
  }
  await settle();
  return redact({ resources: await Promise.all(mocks.resources.map(describe)), outputs }, secrets);
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
    return { archive: `file:${path.relative(ROOT, String(await o.path))}` };
  }
  if (o.__pulumiAsset) {
    const file = await o.path;
    if (typeof file === 'string') return `file:${path.relative(ROOT, file)} sha256:${await fileHash(file)}`;
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

/** Returns the human-readable plan: one block per resource, then the outputs. */
export function formatPlan(result: SynthResult, stack: string): string {
  const lines = [`Stack koa-apigateway/${stack}: ${countResources(result)} (mocked: ids and ARNs are placeholders; nothing is deployed)`, ''];
  for (const r of result.resources) {
    lines.push(`${r.read ? '=' : '+'} ${r.type}  ${r.name}${r.parent ? `  (parent: ${r.parent})` : ''}${r.read ? '  (read)' : ''}`);
    for (const [key, value] of Object.entries(r.inputs)) {
      const text = typeof value === 'string' ? value : JSON.stringify(value);
      lines.push(`    ${key}: ${text.length > 160 ? `${text.slice(0, 157)}...` : text}`);
    }
    // The body (the whole API definition) is cut above: its operations, one a line, show what is deployed.
    if (r.type === 'aws:apigateway/restApi:RestApi') lines.push(...definitionOperations(r.inputs.body));
  }
  lines.push('', 'Outputs:');
  for (const [key, value] of Object.entries(result.outputs)) lines.push(`    ${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`);
  return lines.join('\n');
}

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'x-amazon-apigateway-any-method'];

/** Returns "    operations in the body:" and one `METHOD /path  operationId` line per operation of an OpenAPI body (JSON text), or nothing. */
function definitionOperations(body: unknown): string[] {
  let paths: Record<string, Record<string, { operationId?: string }>> | undefined;
  try {
    paths = typeof body === 'string' ? (JSON.parse(body) as { paths?: typeof paths }).paths : undefined;
  } catch {
    return [];
  }
  if (!paths || typeof paths !== 'object') return [];
  const lines: string[] = [];
  for (const [route, item] of Object.entries(paths)) {
    for (const [method, operation] of Object.entries(item ?? {})) {
      if (!HTTP_METHODS.includes(method)) continue;
      const name = method === 'x-amazon-apigateway-any-method' ? 'ANY' : method.toUpperCase();
      lines.push(`      ${name.padEnd(7)} ${route}${operation?.operationId ? `  ${operation.operationId}` : ''}`);
    }
  }
  return lines.length ? ['    operations in the body:', ...lines] : [];
}

function required(value: string | undefined, usage: string): string {
  if (!value) throw new Error(`Missing value: ${usage}`);
  return value;
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const result = await synth(options);
  const text = options.json ? `${JSON.stringify(result, null, 2)}\n` : `${formatPlan(result, options.stack)}\n`;
  if (options.out === undefined) {
    process.stdout.write(text);
    return;
  }
  // npm runs scripts from the package root; INIT_CWD is where the user typed the command.
  const file = path.resolve(process.env.INIT_CWD ?? process.cwd(), options.out);
  await writeFile(file, text);
  process.stderr.write(`Wrote the plan of stack ${options.stack} (${countResources(result)}${options.json ? ', JSON' : ''}) to ${file}\n`);
}

/**
 * The one-line failure message. A check raised inside an `apply` (e.g. the account's CloudWatch role)
 * reaches us as Pulumi's "error serializing property ...: <check's message>" rejection of the
 * component's outputs: the prefix is Pulumi's plumbing, the check's message names the setting and the fix.
 */
export function failureMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/^(error serializing property "[^"]*": )+/, '');
}

if (require.main === module) {
  const fail = (error: unknown): void => {
    process.stderr.write(`synth failed: ${failureMessage(error)}\n`);
    process.exit(1);
  };
  // Rejections of outputs the program does not await (registerOutputs) surface here, not in main().
  process.on('unhandledRejection', fail);
  process.on('uncaughtException', fail);
  main().then(() => process.exit(0), fail);
}
