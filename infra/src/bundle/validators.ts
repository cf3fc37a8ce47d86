import type { Plugin } from 'esbuild';
import type Koa from 'koa';
import path from 'node:path';
import { IsArray, IsCyclic, IsIntersect, IsObject, IsOptional, IsRecord, IsRef, IsTuple, IsUnion, type TSchema } from 'typebox';
import { Code } from 'typebox/compile';
import { Format } from 'typebox/format';
import { IsDefault } from 'typebox/schema';
import { withoutIds } from '../route/validation';
import { discoverRoutes } from '../core/plan/discover';
import { toGatewayPath } from '../core/plan/paths';
import { adoptRegisteredFormats, checkFormats } from '../core/plan/formats';
import { ValidatorGenerationError, VisibleError } from '../errors';
import { packageFile } from '../package-files';

/** A schema a route validates, with where it comes from (for error messages). */
export interface RouteSchema {
  /** e.g. `POST /api/v1/orders body`. */
  label: string;
  schema: TSchema;
}

/** Keywords whose values are data, not schemas: `default` inside them is not a default. */
const DATA_KEYWORDS = new Set(['default', 'const', 'enum', 'examples']);

/**
 * Returns every schema the app's routes validate: path, query, headers and body of each request, and
 * each declared response (infra/src/route/response-check.ts checks them), `$id`s removed as validation.ts
 * removes them, in route order, each once (by its JSON text, the key the bundle looks it up by).
 * `served`: only the routes it lists, as `METHOD /resource/path` in API Gateway's form (`GET /items/{id}`, the
 * routes of a GatewaySpec function); undefined: every route.
 */
export function routeSchemasOf(app: Koa, served?: readonly string[]): RouteSchema[] {
  const only = served ? new Set(served) : undefined;
  const seen = new Set<string>();
  const out: RouteSchema[] = [];
  const add = (label: string, schema: TSchema | null | undefined) => {
    if (!schema) return;
    const stripped = withoutIds(schema);
    const key = JSON.stringify(stripped);
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ label, schema: stripped });
  };
  for (const route of discoverRoutes(app)) {
    const name = `${route.method} ${route.koaPath}`;
    if (only && !only.has(`${route.method} ${toGatewayPath(route.koaPath, name).path}`)) continue;
    for (const part of ['params', 'query', 'headers', 'body'] as const) add(`${name} ${part}`, route.meta?.[part]);
    for (const [status, schema] of Object.entries(route.meta?.responses ?? {})) add(`${name} response ${status}`, schema);
  }
  return out;
}

/**
 * Returns the source of the module that replaces infra/src/route/validators.ts in the Lambda bundle:
 * for each schema, TypeBox's own generated `Check` (`typebox/compile`'s `Code`, the code its JIT
 * compiler would evaluate at run time) and its defaults as straight-line code equivalent to TypeBox's
 * `Value.Default`; `Errors` stays TypeBox's error engine (`typebox/schema`), loaded by nothing else.
 * `validatorFor(schema)` finds a schema's validator by its JSON text. A format is looked up by name
 * (`Format.Get`) on the validator's first use, so the app's own (`Format.Set` in a module the Lambda entry
 * imports) is checked in the bundle too; one nothing registered there throws on first use, naming it.
 * Throws UnregisteredFormatError (infra/src/core/plan/formats.ts) for a format no registry knows here
 * (TypeBox would compile it to `true`), and ValidatorGenerationError for what cannot be code: a `default`
 * inside a union, a record, a tuple, an intersection or a reference, a function default, a refinement (a closure).
 */
export function generateValidatorsModule(schemas: readonly RouteSchema[]): string {
  // The app's formats (its copy of TypeBox's registry) known here, so TypeBox's Code emits a lookup for them.
  adoptRegisteredFormats();
  const formats = new Map<unknown, string>(Format.Entries().map(([name, check]) => [check, name]));
  const entries = schemas.map(({ label, schema }) => {
    checkFormats(schema, label);
    const { Code: code, External } = Code(schema);
    const variables = (External.variables as unknown[]).map((v) => externalSource(v, formats, label));
    const body = code
      .split('\n')
      .filter((line) => !line.startsWith('import ') && !line.startsWith('export function SetExternal'))
      .map((line) => (line.startsWith('let External = []') ? `let External = [${variables.join(', ')}];` : line))
      .map((line) => line.replace(/^export function Check\(value\)/, 'return function Check(value)'))
      .join('\n');
    // TypeBox's helpers are required only when this check uses one (a check of plain types uses none).
    const used = ['Hashing', 'Guard', 'CheckContext', 'Format'].filter((name) => new RegExp(`\\b${name}\\b`).test(body));
    const helpers = used.length > 0 ? `  const { ${used.join(', ')} } = typebox();\n` : '';
    return `  [${JSON.stringify(JSON.stringify(schema))}, () => {\n${helpers}  const check = (() => {\n${body}\n})();\n  return { check, defaults: ${defaultsSource(schema, label)} };\n}]`;
  });
  return [
    '// Generated at build time by koa-apigateway (its bundler, bundle/validators.ts) from the routes of the createApp of the app descriptor: do not edit.',
    "// TypeBox's modules are required when a check needs one of its helpers or a value is invalid, not at load.",
    'let loaded;',
    'const typebox = () => (loaded ??= require("./validator-runtime"));',
    '// A format the app registered where the validators were generated, but in no module of this bundle: fails loudly.',
    'const missingFormat = (name, label) => () => {',
    '  throw new Error(`The format "${name}" that ${label} declares is not registered in the Lambda bundle: it was registered where the validators were generated, by a module the Lambda entry does not import. Fix: call Format.Set(\'${name}\', ...) in a module the Lambda entry imports (the one that builds the app).`);',
    '};',
    '// Each schema\'s validator is built on its first use (validation.ts keeps it).',
    'const GENERATED = new Map([',
    entries.join(',\n'),
    ']);',
    'export function validatorFor(schema) {',
    '  const key = JSON.stringify(schema);',
    '  const make = GENERATED.get(key);',
    '  if (!make) throw new Error(`No validator was generated at build time for the schema ${key.slice(0, 200)}: validators are generated by koa-apigateway\'s build from the routes the app descriptor createApp registers (for a function group with an entry of its own, its group\'s routes only: API Gateway sends it no other). Fix: declare the schema on a route with addRoute (on a route of this function\'s group), then rebuild.`);',
    '  const { check, defaults } = make();',
    "  // TypeBox's error engine is required by the first invalid value only.",
    '  return { Check: check, Default: defaults, Errors: (value) => typebox().SchemaErrors(schema, value)[1] };',
    '}',
    '',
  ].join('\n');
}

/** Returns a JavaScript expression that rebuilds one of a generated check's external variables. */
function externalSource(value: unknown, formats: Map<unknown, string>, label: string): string {
  if (value instanceof RegExp) return `new RegExp(${JSON.stringify(value.source)}, ${JSON.stringify(value.flags)})`;
  if (typeof value === 'function' || containsFunction(value)) {
    const format = typeof value === 'function' ? formats.get(value) : undefined;
    if (format === undefined) {
      throw new ValidatorGenerationError(label, 'the schema has a refinement or an unregistered format check (a function), which cannot be generated as code', 'express the rule as a JSON Schema keyword (pattern, enum, minimum...) or register the format with Format.Set in service code');
    }
    return `(Format.Get(${JSON.stringify(format)}) ?? missingFormat(${JSON.stringify(format)}, ${JSON.stringify(label)}))`;
  }
  return dataSource(value, label);
}

/** Returns a JSON literal for `value`, which must be plain JSON data. */
function dataSource(value: unknown, label: string): string {
  const text = JSON.stringify(value);
  if (text === undefined || JSON.stringify(JSON.parse(text)) !== text || !sameData(JSON.parse(text), value)) {
    throw new ValidatorGenerationError(label, `the value ${String(text ?? value)} is not plain JSON data`, 'use JSON values (strings, numbers, booleans, null, arrays, plain objects) in const, enum and default');
  }
  return text;
}

function containsFunction(value: unknown): boolean {
  if (typeof value === 'function') return true;
  if (value === null || typeof value !== 'object') return false;
  return Object.values(value).some(containsFunction);
}

function sameData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (!Array.isArray(b) && Object.getPrototypeOf(b) !== Object.prototype && Object.getPrototypeOf(b) !== null) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => sameData((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** Returns true when `schema` holds a `default` anywhere (outside data keywords). */
function hasDefault(schema: unknown): boolean {
  if (Array.isArray(schema)) return schema.some(hasDefault);
  if (schema === null || typeof schema !== 'object') return false;
  return Object.entries(schema).some(([key, v]) => key === 'default' || (!DATA_KEYWORDS.has(key) && hasDefault(v)));
}

/**
 * Returns a function expression `(value) => value'` doing what TypeBox's `Value.Default(schema, value)`
 * does (typebox/build/value/default): a missing value takes the schema's `default` (a fresh copy);
 * arrays and objects are walked; an object's property is assigned unless it is undefined and the
 * property is optional or has no default. Subtrees without any `default` are left alone (TypeBox
 * walks them to the same result).
 */
export function defaultsSource(schema: TSchema, label: string): string {
  if (!hasDefault(schema)) return '(value) => value';
  let counter = 0;
  const fresh = () => `v${counter++}`;
  // Returns statements that turn the value in variable `v` into its defaulted value, in place (`v` is reassigned).
  const fill = (type: TSchema, v: string, where: string): string => {
    const parts: string[] = [];
    if (IsDefault(type)) {
      const value = (type as { default: unknown }).default;
      if (typeof value === 'function') throw new ValidatorGenerationError(label, `the default at ${where || '/'} is a function`, 'give a JSON value as the default');
      parts.push(`if (${v} === undefined) ${v} = ${dataSource(value, label)};`);
    }
    const structural = (IsCyclic(type) || IsIntersect(type) || IsRecord(type) || IsRef(type) || IsTuple(type) || IsUnion(type)) && !IsObject(type) && !IsArray(type);
    if (structural) {
      const inner = { ...(type as object) } as Record<string, unknown>;
      delete inner.default;
      if (hasDefault(inner)) {
        throw new ValidatorGenerationError(label, `a default inside the union, record, tuple, intersection or reference at ${where || '/'} cannot be generated`, 'put defaults only on object properties and array items outside unions');
      }
    } else if (IsArray(type)) {
      const items = (type as { items?: TSchema }).items;
      if (items && hasDefault(items)) {
        const i = fresh();
        const item = fresh();
        parts.push(`if (Array.isArray(${v})) for (let ${i} = 0; ${i} < ${v}.length; ${i}++) { let ${item} = ${v}[${i}]; ${fill(items, item, `${where}/items`)} ${v}[${i}] = ${item}; }`);
      }
    } else if (IsObject(type)) {
      const properties = (type as { properties: Record<string, TSchema> }).properties;
      const additional = (type as { additionalProperties?: unknown }).additionalProperties;
      if (additional !== undefined && typeof additional !== 'boolean' && hasDefault(additional)) {
        throw new ValidatorGenerationError(label, `a default inside additionalProperties at ${where || '/'} cannot be generated`, 'declare the property in properties');
      }
      const body: string[] = [];
      for (const key of Object.getOwnPropertyNames(properties)) {
        const property = properties[key]!;
        const p = fresh();
        const k = JSON.stringify(key);
        const keepUndefined = IsOptional(property) || !IsDefault(property);
        body.push(`{ let ${p} = ${v}[${k}]; ${fill(property, p, `${where}/properties/${key}`)} ${keepUndefined ? `if (${p} !== undefined) ` : ''}${v}[${k}] = ${p}; }`);
      }
      parts.push(`if (typeof ${v} === 'object' && ${v} !== null) { ${body.join(' ')} }`);
    }
    return parts.join(' ');
  };
  return `(value) => { ${fill(schema, 'value', '')} return value; }`;
}

/**
 * The route kit's validators module, as the bundle resolves it: this package's TypeScript source (the bundler
 * resolves `koa-apigateway/*` with the `koa-apigateway-source` condition, bundle.ts). A path of the package,
 * deliberately (package-files.ts): the module replaced is the package's own, wherever it is installed.
 */
export const VALIDATORS_MODULE = packageFile('src', 'route', 'validators.ts');

/**
 * Returns the esbuild plugin that replaces the route kit's validators module ({@link VALIDATORS_MODULE}) with validators generated
 * from the routes of the app (`createApp({ userPool: true })` of its descriptor, infra/src/app/load.ts: every route
 * it can mount, built here at build time), so the bundle ships neither TypeBox's compiler nor its value engine, and a cold start compiles nothing.
 * `served` (`METHOD /resource/path`): only those routes' validators, for a function group's own entry (bundle/groups.ts),
 * which API Gateway invokes for its group's methods only; undefined: every route's.
 */
export function prebuiltValidators(createApp: (options: { userPool: boolean }) => Koa, served?: readonly string[]): Plugin {
  const target = VALIDATORS_MODULE;
  return {
    name: 'prebuilt-validators',
    setup(build) {
      build.onLoad({ filter: /[\\/]route[\\/]validators\.ts$/ }, (args) => {
        if (path.resolve(args.path) !== target) return undefined;
        // Every route the app can mount, the token routes included: those mount at run time only when the
        // stack sets USER_POOL_ID, which is never set at build time (a missing validator answered 500).
        return { contents: generateValidatorsModule(routeSchemasOf(createApp({ userPool: true }), served)), loader: 'js', resolveDir: path.dirname(target) };
      });
    },
  };
}
