import { createHash } from 'node:crypto';
import { RouteError } from '../../errors';
import type { GatewaySettings } from '../../settings/types';
import { compare } from './paths';
import type { FunctionGroup, FunctionGroups, FunctionSpec } from './types';

/**
 * Function groups (issue 24): which Lambda function serves which route. Pure: the descriptor's `functions`, the
 * routes' own `function` (route(), addRoute, a descriptor `routes` entry) and the router's mark (functionGroup)
 * in, one group per method out. docs/functions.md explains them.
 */

/** The group of every route no group claims: with no `functions` at all, the one function of the app. */
export const DEFAULT_FUNCTION = 'default';

/**
 * A group's name: lower-case letters, digits and `-`, starting with a letter, at most 20 characters, so that
 * `<name>-<group>-fn-role` and the other resource names built from it stay within IAM's and Lambda's lengths
 * (the descriptor's `name` is at most 24 characters).
 */
export const FUNCTION_NAME = /^[a-z][a-z0-9-]{0,19}$/;

/** The architectures a Lambda function may run on (Lambda API reference, CreateFunction `Architectures`). */
export const ARCHITECTURES = ['arm64', 'x86_64'] as const;

/**
 * Lambda's and IAM's quotas the plan and the component check (each refused at preview, naming the group and
 * the fix). Sources: the Lambda quotas page (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html:
 * "Function memory allocation 128 MB to 10,240 MB", "Function timeout 900 seconds (15 minutes)", "Function
 * resource-based policy 20 KB", "Environment variables 4 KB, for all environment variables associated with the
 * function, in aggregate", "Concurrent executions 1,000" with "Lambda reserves 100 units of concurrency for
 * functions that don't reserve concurrency" (docs/functions.md, "Limits")) and the IAM quotas page
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html: "Role policy size ... 10,240
 * characters" for the aggregate of a role's inline policies, whitespace not counted).
 */
export const FUNCTION_LIMITS = {
  /** MB. */
  memory: { min: 128, max: 10240 },
  /** Seconds. */
  timeout: { min: 1, max: 900 },
  /** Bytes of every variable's name and value together. */
  environmentBytes: 4096,
  /** Bytes of a function's resource-based policy (its invoke permissions). */
  resourcePolicyBytes: 20 * 1024,
  /** Characters of a role's inline policies together, whitespace excluded. */
  rolePolicyCharacters: 10240,
  /** An account's default concurrency in a region, and what Lambda keeps unreserved of it. */
  accountConcurrency: 1000,
  unreservedConcurrency: 100,
  /** Characters of a function's description (Lambda API reference, CreateFunction `Description`). */
  description: 256,
} as const;

export type { FunctionGroup, FunctionGroups, FunctionSpec } from './types';

/** A function group with the stack's defaults applied: what the component deploys and the local gateway runs. */
export interface ResolvedFunction {
  name: string;
  routes: string[];
  /** The group's own entry, as the descriptor gives it (relative to it); undefined: the app's `lambda`. */
  lambda?: string;
  memorySize: number;
  timeoutSeconds: number;
  architecture: (typeof ARCHITECTURES)[number];
  reservedConcurrency?: number;
  environment: Record<string, string>;
  description?: string;
  /** Its routes stream their responses (FunctionSpec `stream`): the function's handler streams. */
  stream?: true;
}

/**
 * Returns `fn` with the stack's Lambda settings (`lambdaMemorySize`, `lambdaTimeout`, `lambdaArchitecture`)
 * wherever the group sets none. Pure; the values were checked when the descriptor was read (checkFunctionGroups).
 */
export function resolveFunction(fn: FunctionSpec, settings: Pick<GatewaySettings, 'lambda'>): ResolvedFunction {
  return {
    name: fn.name,
    routes: [...fn.routes],
    ...(fn.lambda !== undefined ? { lambda: fn.lambda } : {}),
    memorySize: fn.memorySize ?? settings.lambda.memorySize,
    timeoutSeconds: fn.timeoutSeconds ?? settings.lambda.timeoutSeconds,
    architecture: fn.architecture ?? settings.lambda.architecture,
    ...(fn.reservedConcurrency !== undefined ? { reservedConcurrency: fn.reservedConcurrency } : {}),
    environment: { ...(fn.environment ?? {}) },
    ...(fn.description !== undefined ? { description: fn.description } : {}),
    ...(fn.stream === true ? { stream: true as const } : {}),
  };
}

/** A problem with the descriptor's `functions`: the key (`functions.write.memorySize`), what is wrong, the fix. */
export interface FunctionGroupProblem {
  key: string;
  problem: string;
  fix: string;
}

const FIELDS: ReadonlyArray<keyof FunctionGroup> = ['routes', 'lambda', 'memorySize', 'timeoutSeconds', 'architecture', 'reservedConcurrency', 'environment', 'description', 'stream'];

/** `METHOD /path` or `* /path` (the path as the router registers it, `{id}` accepted, a trailing `/*`). */
const PATTERN = /^(\*|GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) (\/\S*)$/;

/** A Lambda environment variable name (Lambda API reference, `Environment` Variables: `[a-zA-Z]([a-zA-Z0-9_])+`). */
const VARIABLE_NAME = /^[a-zA-Z][a-zA-Z0-9_]+$/;

/**
 * Returns the first problem of the descriptor's `functions` (undefined when there is none): not an object nor
 * `'per-route'`, a group name that is not one (FUNCTION_NAME), a field no group has, a pattern that is not
 * `METHOD /path`, a memory size, timeout, architecture, reserved concurrency, environment or description Lambda
 * would refuse (FUNCTION_LIMITS), or reserved concurrency that leaves less than Lambda's unreserved 100 of the
 * account's default 1,000. Each names the key and the fix; the caller raises it (AppDescriptorError, RouteError).
 */
export function functionGroupsProblem(groups: unknown): FunctionGroupProblem | undefined {
  if (groups === undefined || groups === 'per-route') return undefined;
  if (groups === null || typeof groups !== 'object' || Array.isArray(groups)) {
    return {
      key: 'functions',
      problem: `is ${JSON.stringify(groups)}, neither an object of groups nor 'per-route'`,
      fix: "name the groups, e.g. functions: { read: { routes: ['GET /items', 'GET /items/:id'] }, write: { routes: ['POST /items'], memorySize: 1024 } }, or write functions: 'per-route'",
    };
  }
  for (const [name, group] of Object.entries(groups as Record<string, unknown>)) {
    const key = `functions.${name}`;
    if (!FUNCTION_NAME.test(name)) {
      return { key, problem: 'is not a group name', fix: "name it with lower-case letters, digits and '-', starting with a letter, at most 20 characters (e.g. read, write, reports)" };
    }
    if (group === null || typeof group !== 'object' || Array.isArray(group)) {
      return { key, problem: `is ${JSON.stringify(group)}, not an object`, fix: `make it an object of ${FIELDS.join(', ')}, e.g. ${name}: { routes: ['GET /items'] }` };
    }
    const g = group as Record<string, unknown>;
    const unknown = Object.keys(g).filter((field) => !(FIELDS as string[]).includes(field));
    if (unknown.length > 0) return { key: `${key}.${unknown[0]}`, problem: 'is not a field of a function group', fix: `remove it; a group may set ${FIELDS.join(', ')}` };
    if (g.routes !== undefined) {
      if (!Array.isArray(g.routes)) return { key: `${key}.routes`, problem: `is ${JSON.stringify(g.routes)}, not a list`, fix: "list the routes, e.g. routes: ['GET /items', 'POST /items']" };
      for (const pattern of g.routes as unknown[]) {
        if (typeof pattern !== 'string' || !PATTERN.test(pattern)) {
          return {
            key: `${key}.routes`,
            problem: `has ${JSON.stringify(pattern)}, which is not METHOD /path`,
            fix: "write the method in capitals (or * for any), one space, then the path as the router registers it, e.g. 'GET /items/:id', '* /health', 'GET /api/v1/*' (every path below)",
          };
        }
      }
    }
    if (g.lambda !== undefined && (typeof g.lambda !== 'string' || g.lambda === '')) {
      return { key: `${key}.lambda`, problem: `is ${JSON.stringify(g.lambda)}, not a module path`, fix: "name the group's Lambda entry relative to the descriptor (e.g. lambda: 'src/write-lambda.ts'), or remove it to use the app's lambda" };
    }
    const integer = (field: keyof FunctionGroup, min: number, max: number, unit: string, source: string): FunctionGroupProblem | undefined => {
      const value = g[field];
      if (value === undefined) return undefined;
      if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
        return { key: `${key}.${field}`, problem: `is ${JSON.stringify(value)}, not a whole number of ${unit} from ${min} to ${max} (${source})`, fix: `set it from ${min} to ${max}, or remove it to use the stack's value` };
      }
      return undefined;
    };
    const sized =
      integer('memorySize', FUNCTION_LIMITS.memory.min, FUNCTION_LIMITS.memory.max, 'MB', 'Lambda quotas: "Function memory allocation 128 MB to 10,240 MB"') ??
      integer('timeoutSeconds', FUNCTION_LIMITS.timeout.min, FUNCTION_LIMITS.timeout.max, 'seconds', 'Lambda quotas: "Function timeout 900 seconds"') ??
      integer('reservedConcurrency', 1, FUNCTION_LIMITS.accountConcurrency - FUNCTION_LIMITS.unreservedConcurrency, 'executions', 'at least 1, and Lambda keeps 100 of the account\'s default 1,000 unreserved');
    if (sized) return sized;
    if (g.architecture !== undefined && !(ARCHITECTURES as readonly unknown[]).includes(g.architecture)) {
      return { key: `${key}.architecture`, problem: `is ${JSON.stringify(g.architecture)}`, fix: `use ${ARCHITECTURES.map((a) => `'${a}'`).join(' or ')}, or remove it to use the stack's lambdaArchitecture` };
    }
    if (g.environment !== undefined) {
      if (g.environment === null || typeof g.environment !== 'object' || Array.isArray(g.environment)) {
        return { key: `${key}.environment`, problem: `is ${JSON.stringify(g.environment)}, not an object`, fix: "give the variables as name: value strings, e.g. environment: { REPORT_BUCKET: 'reports' }" };
      }
      for (const [variable, value] of Object.entries(g.environment)) {
        if (!VARIABLE_NAME.test(variable)) {
          return { key: `${key}.environment.${variable}`, problem: 'is not a variable name Lambda accepts ([a-zA-Z][a-zA-Z0-9_]+, Lambda API reference "Environment")', fix: 'rename it with letters, digits and _, starting with a letter' };
        }
        if (typeof value !== 'string') return { key: `${key}.environment.${variable}`, problem: `is ${JSON.stringify(value)}, not a string`, fix: 'give the value as a string (environment variables are text)' };
        if (RESERVED_VARIABLES.has(variable)) {
          return {
            key: `${key}.environment.${variable}`,
            problem: 'is reserved by Lambda, which sets it itself and refuses a function that sets it (Lambda developer guide, "Defined runtime environment variables")',
            fix: 'give the variable another name (the function reads the value Lambda sets under this one)',
          };
        }
      }
    }
    if (g.stream !== undefined && typeof g.stream !== 'boolean') {
      return { key: `${key}.stream`, problem: `is ${JSON.stringify(g.stream)}, not true or false`, fix: 'write stream: true for a group whose routes stream their responses (docs/streaming.md), or remove it' };
    }
    if (g.description !== undefined && (typeof g.description !== 'string' || g.description.length > FUNCTION_LIMITS.description)) {
      return { key: `${key}.description`, problem: `is not a string of at most ${FUNCTION_LIMITS.description} characters (Lambda API reference, CreateFunction "Description")`, fix: 'shorten it' };
    }
  }
  // The total reserved is checked on the groups deployed (functionLimitProblems): a group whose routes this stack does
  // not mount deploys no function and reserves nothing.
  return undefined;
}

/**
 * The environment variable names Lambda reserves: "The keys for these environment variables are reserved and cannot
 * be set in your function configuration" (Lambda developer guide, "Defined runtime environment variables",
 * https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars-runtime.html). Setting one fails CreateFunction.
 */
export const RESERVED_VARIABLES: ReadonlySet<string> = new Set([
  '_HANDLER',
  '_X_AMZN_TRACE_ID',
  'AWS_DEFAULT_REGION',
  'AWS_REGION',
  'AWS_EXECUTION_ENV',
  'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
  'AWS_LAMBDA_FUNCTION_VERSION',
  'AWS_LAMBDA_INITIALIZATION_TYPE',
  'AWS_LAMBDA_LOG_GROUP_NAME',
  'AWS_LAMBDA_LOG_STREAM_NAME',
  'AWS_ACCESS_KEY',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_LAMBDA_RUNTIME_API',
  'LAMBDA_TASK_ROOT',
  'LAMBDA_RUNTIME_DIR',
]);

/** What the plan knows of a route when assigning it a group. */
export interface RouteForGroups {
  method: string;
  /** The Koa path as registered. */
  koaPath: string;
  /** API Gateway's path, `/items/{id}`. */
  resourcePath: string;
  operationId: string;
  /** The group the route names itself (route()/addRoute `function`, or a descriptor `routes` entry's). */
  declared?: string;
  /** The group of the router the route was registered on (functionGroup). */
  router?: string;
  /** The route's own `stream` (route()/addRoute, a descriptor `routes` entry): docs/streaming.md. */
  stream?: boolean;
}

/** A pattern of `functions.<group>.routes`, split: method (`*` any), API Gateway path, whether it covers every path below. */
interface Pattern {
  group: string;
  text: string;
  method: string;
  path: string;
  below: boolean;
}

/**
 * Returns the API Gateway form of a pattern's path, for matching against resource paths: `:id` and `{id}` → `{id}`,
 * a trailing `*name` or `{name+}` → `{proxy+}`; `below` when it ends in a bare `/*` (every path under it).
 */
function patternPath(path: string): { path: string; below: boolean } {
  let parts = path.replace(/\/+$/, '').split('/').slice(1);
  let below = false;
  if (parts[parts.length - 1] === '*') {
    below = true;
    parts = parts.slice(0, -1);
  }
  const out = parts.map((part) => {
    if (/^:[A-Za-z_$][A-Za-z0-9_$]*$/.test(part)) return `{${part.slice(1)}}`;
    if (/^\*[A-Za-z_$][A-Za-z0-9_$]*$/.test(part) || /^\{[^}]+\+\}$/.test(part)) return '{proxy+}';
    return part;
  });
  return { path: `/${out.join('/')}`, below };
}

function parsePatterns(groups: Readonly<Record<string, FunctionGroup>>): Pattern[] {
  const out: Pattern[] = [];
  for (const [group, g] of Object.entries(groups)) {
    for (const text of g.routes ?? []) {
      const match = PATTERN.exec(text);
      if (!match) continue;
      out.push({ group, text, method: match[1]!, ...patternPath(match[2]!) });
    }
  }
  return out;
}

/**
 * How specific a pattern is, as one number ordered like [exact path over `/*`, more path parts, a method over `*`]:
 * of the patterns matching a route, the greatest wins (assignFunctions).
 */
function specificity(pattern: Pattern): number {
  const parts = pattern.path === '/' ? 0 : pattern.path.split('/').length - 1;
  return (pattern.below ? 0 : 1_000_000) + parts * 10 + (pattern.method === '*' ? 0 : 1);
}

function matches(pattern: Pattern, method: string, resourcePath: string): boolean {
  if (pattern.method !== '*' && pattern.method !== method) return false;
  if (!pattern.below) return resourcePath === pattern.path;
  return resourcePath.startsWith(pattern.path === '/' ? '/' : `${pattern.path}/`) && resourcePath !== pattern.path;
}

/**
 * Returns the group of each route (same order) and the deployed functions (groups with at least one route, sorted
 * by name, routes `METHOD /resource/path` sorted, the descriptor's settings of each). Precedence: the route's own
 * `function` over its router's (functionGroup); then a descriptor pattern, then `default` (or, with `'per-route'`,
 * a group of its own named from its operationId). Throws RouteError, naming the route, the groups and the fix,
 * when the code puts a route in one group and a descriptor pattern in another, when patterns of two groups match
 * one route, and for a group name the code gives that is not one (FUNCTION_NAME). Patterns that match nothing are
 * not refused: see {@link unmatchedFunctionPatterns}.
 */
export function assignFunctions(routes: readonly RouteForGroups[], groups: FunctionGroups | undefined): { groups: string[]; functions: FunctionSpec[]; streams: boolean[] } {
  const problem = functionGroupsProblem(groups);
  if (problem) throw new RouteError(`App descriptor "${problem.key}" ${problem.problem}. Fix: ${problem.fix}; \`pulumi preview\`/\`pulumi up\` refuse the app until then.`);
  const named = groups && groups !== 'per-route' ? groups : {};
  const patterns = parsePatterns(named);
  const taken = new Set<string>([...Object.keys(named), ...routes.flatMap((r) => [r.declared, r.router].filter((g): g is string => g !== undefined))]);
  const assigned = routes.map((route) => {
    const label = `Route ${route.method} ${route.koaPath}`;
    const code = route.declared ?? route.router;
    const how = route.declared !== undefined ? `its declaration (function: '${route.declared}')` : `its router (functionGroup(router, '${route.router}'))`;
    if (code !== undefined && !FUNCTION_NAME.test(code)) {
      throw new RouteError(
        `${label} is put in the function group ${JSON.stringify(code)} by ${how}, which is not a group name. Fix: name it with lower-case letters, digits and '-', starting with a letter, at most 20 characters; \`pulumi preview\`/\`pulumi up\` refuse the route until then.`,
      );
    }
    const hits = patterns.filter((p) => matches(p, route.method, route.resourcePath));
    // The most specific pattern wins (specificity): `GET /api/v1/reports/*` over `GET /api/v1/*`, an exact path over
    // any `/*`, a method over `*`. Patterns of two groups equally specific are refused.
    const best = hits.length === 0 ? undefined : Math.max(...hits.map(specificity));
    const top = hits.filter((p) => specificity(p) === best);
    const groupsHit = [...new Set(top.map((p) => p.group))];
    if (groupsHit.length > 1) {
      const which = groupsHit.map((g) => `functions.${g}.routes '${top.find((p) => p.group === g)!.text}'`).join(' and ');
      throw new RouteError(
        `${label} is matched by ${which}, equally specific: a route is served by one function. Fix: narrow one of the patterns (list the route under one group only, or give one group a more specific pattern); \`pulumi preview\`/\`pulumi up\` refuse the app until then.`,
      );
    }
    const byPattern = groupsHit[0];
    // The code's group wins over `/*` patterns (the code is the more specific place); a pattern naming the route's own
    // path for another group contradicts it.
    const exact = hits.find((p) => !p.below && p.group !== code);
    if (code !== undefined && exact !== undefined) {
      throw new RouteError(
        `${label} is put in the function group "${code}" by ${how}, and in "${exact.group}" by functions.${exact.group}.routes '${exact.text}' in the app descriptor. ` +
          `Fix: say it in one place: remove '${exact.text}' from functions.${exact.group}.routes, or drop the code's group; \`pulumi preview\`/\`pulumi up\` refuse the app until then.`,
      );
    }
    return code ?? byPattern;
  });
  if (groups === 'per-route') {
    // In path order, not registration order: the names do not depend on the order the routes were registered in.
    const order = routes.map((_, i) => i).sort((a, b) => compare(`${routes[a]!.resourcePath} ${routes[a]!.method}`, `${routes[b]!.resourcePath} ${routes[b]!.method}`));
    // A name depends on the route's own operationId (perRouteName), so adding, removing or renaming another route does
    // not rename this one's function (which would replace it). The one exception: two operationIds that both take
    // their plain kebab-case name and share it (`getItems`, `get-items`), or one a named group holds, both end in a hash.
    const pending = order.filter((i) => assigned[i] === undefined);
    const plainOf = (op: string) => (plainNameOf(op) ?? '\0hashed');
    const counts = new Map<string, number>();
    for (const i of pending) counts.set(plainOf(routes[i]!.operationId), (counts.get(plainOf(routes[i]!.operationId)) ?? 0) + 1);
    for (const i of pending) {
      const op = routes[i]!.operationId;
      const plain = plainNameOf(op);
      const shared = plain !== undefined && (counts.get(plain)! > 1 || taken.has(plain));
      const name = uniqueName(perRouteName(op, shared), taken);
      taken.add(name);
      assigned[i] = name;
    }
  }
  const out = assigned.map((g) => g ?? DEFAULT_FUNCTION);
  const byGroup = new Map<string, string[]>();
  out.forEach((g, i) => (byGroup.get(g) ?? byGroup.set(g, []).get(g)!).push(`${routes[i]!.method} ${routes[i]!.resourcePath}`));
  const streaming = streamingGroups(routes, out, named);
  const functions = [...byGroup.keys()].sort(compare).map((name): FunctionSpec => {
    const { routes: _patterns, stream: _stream, ...settings } = named[name] ?? {};
    return { name, routes: byGroup.get(name)!.sort(compare), ...copy(settings), ...(streaming.has(name) ? { stream: true } : {}) };
  });
  return { groups: out, functions, streams: out.map((g) => streaming.has(g)) };
}

/**
 * Returns the groups whose function streams (docs/streaming.md): a group the descriptor marks `stream: true`, or one
 * whose every route says `stream: true`. A Lambda function's handler either streams (awslambda.streamifyResponse,
 * invoked with InvokeWithResponseStream) or returns a buffered proxy response, never both (AWS Lambda developer
 * guide, "Writing response streaming-enabled Lambda functions"), so throws RouteError, naming the routes, the group
 * and the fix, for a group mixing streamed and buffered routes, and for a `stream` that is not a boolean.
 */
function streamingGroups(routes: readonly RouteForGroups[], assigned: readonly string[], named: Readonly<Record<string, FunctionGroup>>): Set<string> {
  const label = (r: RouteForGroups) => `${r.method} ${r.koaPath}`;
  for (const r of routes) {
    if (r.stream !== undefined && typeof r.stream !== 'boolean') {
      throw new RouteError(`Route ${label(r)} sets stream: ${JSON.stringify(r.stream)}. Fix: write stream: true (or remove it); \`pulumi preview\`/\`pulumi up\` refuse the route until then.`);
    }
  }
  const out = new Set<string>();
  for (const group of new Set(assigned)) {
    const members = routes.filter((_, i) => assigned[i] === group);
    const setting = named[group]?.stream;
    const streamed = members.filter((r) => (setting === true ? r.stream !== false : r.stream === true));
    if (streamed.length === 0) continue;
    const buffered = members.filter((r) => !streamed.includes(r));
    if (buffered.length > 0 || setting === false) {
      const list = (rs: RouteForGroups[]) => rs.map(label).join(', ');
      const why =
        setting === false
          ? `the app descriptor sets functions.${group}.stream to false`
          : setting === true
            ? `functions.${group}.stream is true but ${list(buffered)} say${buffered.length === 1 ? 's' : ''} stream: false`
            : `${list(buffered)} ${buffered.length === 1 ? 'does' : 'do'} not stream`;
      throw new RouteError(
        `Function group "${group}" serves the streamed route${streamed.length === 1 ? '' : 's'} ${list(streamed)} (stream: true), but ${why}: a Lambda function's handler either streams its response or returns it whole. ` +
          `Fix: give the streamed route${streamed.length === 1 ? ' a group of its own' : 's a group of their own'} (e.g. function: 'live' on ${streamed.length === 1 ? 'it' : 'each'}, or functions: { live: { routes: [${streamed.map((r) => `'${label(r)}'`).join(', ')}], stream: true } } in the app descriptor), or make every route of "${group}" stream (functions.${group}.stream: true); \`pulumi preview\`/\`pulumi up\` refuse the app until then.`,
      );
    }
    out.add(group);
  }
  return out;
}

/** The group's settings as plain data (environment copied), undefined fields left out. */
function copy(settings: Omit<FunctionGroup, 'routes'>): Omit<FunctionGroup, 'routes'> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(settings)) if (v !== undefined) out[k] = k === 'environment' ? { ...(v as Record<string, string>) } : v;
  return out as Omit<FunctionGroup, 'routes'>;
}

/**
 * The `'per-route'` function name of the route whose operationId is `operationId`: its kebab-case form (`getBook` →
 * `get-book`) when the operationId is camelCase, PascalCase or already kebab-case, its kebab form fits 20 characters
 * and `shared` is false; else its kebab form's first 15 characters, `-` and the first 4 hex digits of the operationId's
 * sha256 (`listEveryOverdueLoanOfTheBranch` → `list-every-over-` + 4 hex; `get_items` → `get-items-` + 4 hex, always:
 * it would otherwise take `getItems`'s name). `shared`: another operationId taking its plain name has the same one, or
 * a named group holds it.
 */
export function perRouteName(operationId: string, shared = false): string {
  const plain = plainNameOf(operationId);
  if (plain !== undefined && !shared) return plain;
  return `${cut(kebabOf(operationId), 15)}-${sha256Hex(operationId).slice(0, 4)}`;
}

/** The plain per-route name of a camelCase, PascalCase or kebab-case operationId whose kebab form fits 20 characters. */
function plainNameOf(operationId: string): string | undefined {
  const kebab = kebabOf(operationId);
  if (kebab.length > 20) return undefined;
  return /^[A-Za-z][A-Za-z0-9]*$/.test(operationId) || operationId === kebab ? kebab : undefined;
}

/** `getBook` → `get-book`, `GET-items_id` → `get-items-id`: a group name (FUNCTION_NAME), cut to 20 characters. */
export function groupNameOf(operationId: string): string {
  return cut(kebabOf(operationId), 20);
}

const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex');

/** The kebab-case form of an operationId, starting with a letter (`r-` before a digit), not cut. */
function kebabOf(operationId: string): string {
  const kebab = operationId
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return /^[a-z]/.test(kebab) ? kebab : `r-${kebab}`;
}

function cut(name: string, length: number): string {
  return name.slice(0, length).replace(/-+$/, '');
}

/** `name`, else `name-2`, `name-3`... (cut to fit 20 characters) that `taken` does not hold. */
function uniqueName(name: string, taken: ReadonlySet<string>): string {
  if (!taken.has(name)) return name;
  for (let n = 2; ; n++) {
    const candidate = `${cut(name, 20 - String(n).length - 1)}-${n}`;
    if (!taken.has(candidate)) return candidate;
  }
}

/**
 * Returns a warning for each group of `planned` (the groups the plan gives routes: mountableRoutes) that the code names
 * (route()/addRoute `function`, functionGroup) but the descriptor's named `functions` do not, when the descriptor names
 * groups: a typo in the code (`function: 'raed'`) would otherwise deploy a new function with the stack's defaults and
 * none of the group's settings. None with `'per-route'` or without `functions`.
 */
export function undeclaredFunctionGroups(groups: FunctionGroups | undefined, planned: readonly string[]): string[] {
  if (!groups || groups === 'per-route' || functionGroupsProblem(groups) || Object.keys(groups).length === 0) return [];
  const declared = Object.keys(groups);
  return [...new Set(planned)]
    .filter((g) => g !== DEFAULT_FUNCTION && !declared.includes(g))
    .sort(compare)
    .map(
      (g) =>
        `Function group "${g}" is named by the code (a route's function, or functionGroup) but not by the app descriptor's functions (${declared.join(', ')}): it deploys with the stack's defaults. ` +
        `Fix: if it is a typo, correct the route's function; else declare it (functions: { ${g}: {} }).`,
    );
}

/**
 * Returns a warning for each pattern of the descriptor's `functions` that matches none of `routes` (`METHOD
 * /resource/path`; deployApp and `koa-apigateway synth` pass every route the app can mount in some stack, its user
 * pool routes too: core/build-api.ts mountableRoutes), naming the pattern and its group. Not errors, but a typo would
 * otherwise move nothing without a word.
 */
export function unmatchedFunctionPatterns(groups: FunctionGroups | undefined, routes: readonly string[]): string[] {
  if (!groups || groups === 'per-route' || functionGroupsProblem(groups)) return [];
  const parsed = routes.map((r) => {
    const space = r.indexOf(' ');
    return { method: r.slice(0, space), path: r.slice(space + 1) };
  });
  return parsePatterns(groups)
    .filter((p) => !parsed.some((r) => matches(p, r.method, r.path)))
    .map((p) => `functions.${p.group}.routes '${p.text}' matches no route the app can serve, with or without a user pool: check it for a typo.`);
}

/**
 * Returns the `sourceArn` pattern of one method's invoke permission, after the API's execution ARN
 * (`arn:aws:execute-api:REGION:ACCOUNT:API_ID`): `/*` (any stage), the method, and the resource path with every
 * `{param}` and `{proxy+}` as `*` (`GET /items/{id}` → `/*\/GET/items/*`). API Gateway invokes the function with that
 * ARN as the source ("Control access to a REST API with IAM permissions", execute-api ARN
 * `arn:aws:execute-api:region:account-id:api-id/stage/METHOD_HTTP_VERB/Resource-path`); `*` in a
 * `Condition ArnLike` matches any characters, `/` included (IAM "ARN condition operators").
 */
export function invokeSourcePath(method: string, resourcePath: string): string {
  return `/*/${method}${resourcePath.replace(/\{[^}]+\}/g, '*')}`;
}

/**
 * The bytes one invoke permission adds to a function's resource-based policy, at most: Lambda writes each
 * AddPermission as a statement `{"Sid":...,"Effect":"Allow","Principal":{"Service":"apigateway.amazonaws.com"},
 * "Action":"lambda:InvokeFunction","Resource":<function ARN>,"Condition":{"ArnLike":{"AWS:SourceArn":<source ARN>}}}`
 * (Lambda developer guide, "Viewing resource-based IAM policies in Lambda"). Estimated with the longest names the
 * statement can hold: a 100-character statement id (the provider's `<resource name>-<random>`), a 64-character
 * function name, a 14-character region, a 12-digit account and a 10-character API id.
 */
export function invokeStatementBytes(sourcePath: string): number {
  const region = 'ap-southeast-4';
  const account = '000000000000';
  const statement = {
    Sid: 's'.repeat(100),
    Effect: 'Allow',
    Principal: { Service: 'apigateway.amazonaws.com' },
    Action: 'lambda:InvokeFunction',
    Resource: `arn:aws:lambda:${region}:${account}:function:${'f'.repeat(64)}`,
    Condition: { ArnLike: { 'AWS:SourceArn': `arn:aws:execute-api:${region}:${account}:${'a'.repeat(10)}${sourcePath}` } },
  };
  return utf8Bytes(JSON.stringify(statement)) + 1;
}

/**
 * Returns the problems of the functions to deploy against Lambda's quotas that are known at preview (see
 * FUNCTION_LIMITS for the sources): a memory size or timeout out of Lambda's range, reserved concurrency that leaves
 * less than the unreserved 100 of the account's default 1,000 together, each as one sentence naming the group and
 * the fix. Lambda's 20 KB resource-based policy is kept by the invoke permissions themselves (invokeScopeOf).
 */
export function functionLimitProblems(functions: readonly ResolvedFunction[]): string[] {
  const out: string[] = [];
  for (const fn of functions) {
    const { memory, timeout } = FUNCTION_LIMITS;
    if (!Number.isInteger(fn.memorySize) || fn.memorySize < memory.min || fn.memorySize > memory.max) {
      out.push(`Function group "${fn.name}": memorySize ${fn.memorySize} MB is outside Lambda's ${memory.min} to ${memory.max} MB (Lambda quotas, "Function memory allocation"). Fix: set functions.${fn.name}.memorySize from ${memory.min} to ${memory.max}.`);
    }
    if (!Number.isInteger(fn.timeoutSeconds) || fn.timeoutSeconds < timeout.min || fn.timeoutSeconds > timeout.max) {
      out.push(`Function group "${fn.name}": timeoutSeconds ${fn.timeoutSeconds} is outside Lambda's ${timeout.min} to ${timeout.max} s (Lambda quotas, "Function timeout"). Fix: set functions.${fn.name}.timeoutSeconds from ${timeout.min} to ${timeout.max}.`);
    }
  }
  const reserved = functions.reduce((sum, fn) => sum + (fn.reservedConcurrency ?? 0), 0);
  const most = FUNCTION_LIMITS.accountConcurrency - FUNCTION_LIMITS.unreservedConcurrency;
  if (reserved > most) {
    out.push(
      `The function groups reserve ${reserved} concurrent executions together (${functions.filter((f) => f.reservedConcurrency).map((f) => `${f.name} ${f.reservedConcurrency}`).join(', ')}), more than the ${most} the account's default 1,000 allows: Lambda keeps 100 unreserved (Lambda quotas, "Concurrent executions"). ` +
        'Fix: reserve less in the app descriptor\'s functions (an account whose quota was raised may reserve more through transform.function, which this check does not read).',
    );
  }
  return out;
}

/**
 * How the invoke permissions of a function of an API with several functions are scoped: `route`, one permission per
 * method of its group with the method's path (invokeSourcePath), while their statements fit Lambda's 20 KB
 * resource-based policy (Lambda quotas, "Function resource-based policy"; each statement estimated at its largest,
 * invokeStatementBytes); else `method`, one permission per HTTP method the group serves, for any path of the API
 * (`/*\/GET/*`), so that `pulumi up` does not fail adding them (about 50 routes or more). `routes`: the group's
 * `METHOD /resource/path`.
 */
export function invokeScopeOf(routes: readonly string[]): { scope: 'route' | 'method'; bytes: number; methods: string[] } {
  const bytes = routes.reduce((sum, route) => {
    const space = route.indexOf(' ');
    return sum + invokeStatementBytes(invokeSourcePath(route.slice(0, space), route.slice(space + 1)));
  }, 40);
  const methods = [...new Set(routes.map((r) => r.slice(0, r.indexOf(' '))))].sort(compare);
  return { scope: bytes > FUNCTION_LIMITS.resourcePolicyBytes ? 'method' : 'route', bytes, methods };
}

/**
 * The warning for a group whose permissions are scoped by method (invokeScopeOf), naming it, its methods and the fix;
 * undefined for a group scoped by route.
 */
export function invokeScopeWarning(group: string, routes: readonly string[]): string | undefined {
  const { scope, bytes, methods } = invokeScopeOf(routes);
  if (scope === 'route') return undefined;
  return (
    `Function group "${group}" serves ${routes.length} routes: one invoke permission per route would make a resource-based policy of up to ${bytes} bytes, over Lambda's 20 KB (Lambda quotas, "Function resource-based policy"), ` +
    `so API Gateway may invoke it through one permission per HTTP method (${methods.join(', ')}), each for any path of this API. Fix, for permissions scoped to its routes: split the group (move some of its routes to another group in the app descriptor's functions).`
  );
}

/** Bytes of a function's environment as Lambda counts them: every variable's name and value, in aggregate (UTF-8). */
export function environmentBytes(variables: Readonly<Record<string, string>>): number {
  return Object.entries(variables).reduce((sum, [key, value]) => sum + utf8Bytes(key) + utf8Bytes(value), 0);
}

/** Characters of a role's inline policies as IAM counts them against its 10,240: whitespace is not counted (IAM quotas). */
export function rolePolicyCharacters(documents: readonly string[]): number {
  return documents.reduce((sum, doc) => sum + doc.replace(/\s/g, '').length, 0);
}

const encoder = new TextEncoder();

function utf8Bytes(text: string): number {
  return encoder.encode(text).length;
}
