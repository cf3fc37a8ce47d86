import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import Ajv04 from 'ajv-draft-04';
import type Koa from 'koa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleLambda } from '../../../infra/src/bundle/bundle';
import { buildOpenApi } from '../../../infra/src/core/openapi/build';
import { buildGatewaySpec } from '../../../infra/src/core/plan';
import { ENFORCED_KEYWORDS } from '../../../infra/src/core/plan/enforced';
import { modelContracts, modelFormats } from '../../../infra/src/core/plan/formats';
import type { ApiDefinition } from '../../../infra/src/core/definition/types';
import { bundleHandlerLoader } from '../../../infra/src/local/integration';
import { listOperations, type OpenApiDocument, type Operation } from '../../../infra/src/tools/conformance/document';
import { validParts } from '../../../infra/src/tools/conformance/cases';
import { deref } from '../../../infra/src/tools/conformance/samples';
import { schemaChecker } from '../../../infra/src/tools/conformance/schemas';
import { apiEvent, type ProxyHandler } from '../../support/events';
import { API_KEY, definitionOf, startGateway, type Started } from '../local/support/gateway';

/**
 * The deployed models hold only what API Gateway enforces (docs/apigateway-behaviour.md §4.18), the service
 * enforces the whole schema, and the local gateway enforces exactly the deployed models: for every route of the
 * app it is given (the library fixture app here, the example in tests/example/deployed-models.test.ts), requests valid and invalid per keyword (those AWS does not enforce
 * included) get from the local gateway what the deployed models and the service predict, and the same as the
 * built handler invoked with the API Gateway event alone (a function-only invocation), unless the model refuses them.
 */
const ROOT = path.resolve(__dirname, '../../..');
const ANNOTATIONS = new Set(['title', 'description', 'default']);

type Json = Record<string, unknown>;

export interface Reply {
  status: number;
  gatewayMade: boolean;
  text: string;
}

/** An app the differential runs on: its Koa app, its built bundle, and how to undo what a 201 created. */
export interface Subject {
  name: string;
  koa: () => Koa;
  bundle: (outDir: string) => Promise<string>;
  /** Undoes what a 201 created, so the same request sent again meets the same state (a book lent is returned). */
  undo?: (created: string, path: string, headers: Record<string, string>, send: (method: string, path: string, headers: Record<string, string>) => Promise<Reply>) => Promise<void>;
  /**
   * Masks what differs between the local gateway's answer and the handler's for this subject beyond ids and times: the
   * gateway runs the function in a process of its own, started later than the handler under test (an uptime).
   */
  mask?: (text: string) => string;
}

/** Every keyword that validates, anywhere in a deployed model (values under `properties` are schemas, `enum`/`default`/`required` data). */
function keywordsOf(node: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(node)) for (const n of node) keywordsOf(n, into);
  else if (node !== null && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      into.add(key);
      if (key === 'properties') for (const sub of Object.values(value as Json)) keywordsOf(sub, into);
      else if (!['enum', 'default', 'required'].includes(key)) keywordsOf(value, into);
    }
  }
  return into;
}

/** A value breaking `keyword` of `schema` alone (other keywords of the same schema kept), or undefined. */
function breaking(schema: Json, keyword: string): unknown {
  const n = (v: unknown) => (typeof v === 'number' ? v : undefined);
  switch (keyword) {
    case 'minLength':
      return n(schema.minLength)! > 0 ? 'x'.repeat(n(schema.minLength)! - 1) : undefined;
    case 'maxLength':
      return 'x'.repeat(n(schema.maxLength)! + 1);
    case 'pattern':
      return 'no such value \u00e9"\\';
    case 'enum':
      return 'not-in-the-enum';
    case 'minimum':
      return n(schema.minimum)! - 1;
    case 'maximum':
      return n(schema.maximum)! + 1;
    case 'exclusiveMinimum':
      return typeof schema.exclusiveMinimum === 'number' ? schema.exclusiveMinimum : undefined;
    case 'exclusiveMaximum':
      return typeof schema.exclusiveMaximum === 'number' ? schema.exclusiveMaximum : undefined;
    case 'minItems':
      return n(schema.minItems)! > 0 ? [] : undefined;
    case 'maxItems':
      return Array.from({ length: n(schema.maxItems)! + 1 }, () => null);
    case 'type': {
      const types = JSON.stringify(schema.type ?? schema.anyOf ?? '');
      return types.includes('string') ? (types.includes('boolean') ? 12 : true) : 'a string';
    }
    default:
      return undefined;
  }
}

interface Probe {
  title: string;
  body: string | undefined;
}

/** Requests for `op`: the valid one, then one per keyword of each body property and of the body itself. */
function probes(doc: OpenApiDocument, op: Operation, valid: unknown): Probe[] {
  const out: Probe[] = [{ title: 'valid', body: valid === undefined ? undefined : JSON.stringify(valid) }];
  if (!op.requestBody || typeof valid !== 'object' || valid === null) return out;
  const schema = deref(doc, op.requestBody.schema);
  const body = valid as Json;
  for (const [name, raw] of Object.entries((schema.properties ?? {}) as Json)) {
    const field = deref(doc, raw as Json);
    const branches = [field, ...(((field.anyOf ?? field.oneOf) as Json[] | undefined) ?? []).map((b) => deref(doc, b))];
    for (const branch of branches) {
      for (const keyword of Object.keys(branch)) {
        const value = breaking(branch, keyword);
        if (value !== undefined) out.push({ title: `"${name}" breaking ${keyword}`, body: JSON.stringify({ ...body, [name]: value }) });
      }
    }
  }
  const required = (schema.required ?? []) as string[];
  for (const name of required.slice(0, 2)) {
    const { [name]: _, ...rest } = body;
    out.push({ title: `without required "${name}"`, body: JSON.stringify(rest) });
  }
  out.push({ title: 'an unknown property whose name needs escaping', body: JSON.stringify({ ...body, 'say "hi"\\': 1 }) });
  out.push({ title: 'an empty object (minProperties)', body: '{}' });
  out.push({ title: 'no body', body: undefined });
  out.push({ title: 'null', body: 'null' });
  return out;
}

/** Masks the values that differ between two runs of one request: ids, times, ETags. */
function normalised(text: string): string {
  return text
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<uuid>')
    .replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z/g, '<time>')
    .replace(/"loanId":"[^"]*"/g, '"loanId":"<id>"');
}

/** What a subject's own tests get: requests through the local gateway, and the built handler alone. */
export interface DeployedModelsApi {
  overHttp(method: string, rawPath: string, headers: Record<string, string>, body: string | undefined): Promise<Reply>;
  handler(): ProxyHandler;
}

/**
 * Declares the differential for `subject` (see the comment at the top): every route, valid and per-keyword invalid
 * requests through the local gateway and to the built handler alone; `more` adds the subject's own tests.
 */
export function describeDeployedModels({ name, koa, bundle, undo, mask = (text) => text }: Subject, more?: (api: DeployedModelsApi) => void): void {
describe(`${name}: the deployed models and the published document`, () => {
  const spec = buildGatewaySpec(koa());
  const definition = definitionOf(spec);
  const doc = buildOpenApi(definition, { stageName: 'dev', formats: modelFormats(spec), contracts: modelContracts(spec) }) as unknown as OpenApiDocument;

  it('every deployed model keeps only keywords API Gateway enforces, and annotations', () => {
    for (const [name, schema] of Object.entries(definition.components.schemas)) {
      const extra = [...keywordsOf(schema)].filter((k) => !ENFORCED_KEYWORDS.has(k) && !ANNOTATIONS.has(k));
      expect(extra, name).toEqual([]);
    }
  });

  it('the published document keeps every keyword the routes declared (the contract)', () => {
    for (const model of spec.models.filter((m) => m.contract)) {
      const published = JSON.stringify(doc.components!.schemas![model.name]);
      for (const keyword of keywordsOf(model.contract)) if (keyword !== 'exclusiveMinimum' && keyword !== 'exclusiveMaximum') expect(published, `${model.name} ${keyword}`).toContain(`"${keyword}"`);
    }
  });
});


describe(`${name}: the local gateway answers as the deployed models and the service predict`, () => {
  let dir = '';
  let handler: ProxyHandler;
  let gw: Started;
  let definition: ApiDefinition;
  let doc: OpenApiDocument;

  beforeAll(async () => {
    await mkdir(path.join(ROOT, 'dist', 'test-bundles'), { recursive: true });
    dir = await mkdtemp(path.join(ROOT, 'dist', 'test-bundles', 'deployed-models-'));
    const loaded = bundleHandlerLoader(await bundle(dir)).handler;
    handler = loaded as unknown as ProxyHandler;
    const spec = buildGatewaySpec(koa());
    definition = definitionOf(spec);
    doc = buildOpenApi(definition, { stageName: 'dev', formats: modelFormats(spec), contracts: modelContracts(spec) }) as unknown as OpenApiDocument;
    gw = await startGateway({ spec, handler: loaded });
  }, 120_000);
  afterAll(async () => {
    await gw?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  function overHttp(method: string, rawPath: string, headers: Record<string, string>, body: string | undefined): Promise<Reply> {
    const { hostname, port, pathname } = new URL(gw.url);
    return new Promise((resolve, reject) => {
      const req = http.request({ hostname, port, method, path: `${pathname}${rawPath}`, headers: { 'x-api-key': API_KEY, ...headers } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, gatewayMade: res.headers['x-amzn-errortype'] !== undefined, text: Buffer.concat(chunks).toString('utf8') }));
      });
      req.on('error', reject);
      req.end(body ?? '');
    });
  }

  more?.({ overHttp, handler: () => handler });

  it('for every route, valid and per-keyword invalid requests', async () => {
    const ajv = new Ajv04({ strict: false, allErrors: true });
    const checker = schemaChecker(doc);
    let compared = 0;
    for (const op of listOperations(doc)) {
      if (op.security.some((s) => s.bearer)) continue;
      const parts = validParts(doc, op, checker);
      const rawPath = op.path.replace(/\{([^}+]+)\+?\}/g, (_, p: string) => encodeURIComponent(parts.path[p] ?? ''));
      const query = new URLSearchParams(parts.query).toString();
      const target = query ? `${rawPath}?${query}` : rawPath;
      const modelName = (op.requestBody?.schema.$ref as string | undefined)?.split('/').pop();
      const model = modelName ? ajv.compile(definition.components.schemas[modelName]!) : undefined;
      for (const probe of probes(doc, op, parts.body)) {
        const headers: Record<string, string> = { ...parts.headers, ...(probe.body !== undefined ? { 'Content-Type': 'application/json' } : {}) };
        const label = `${name} ${op.method.toUpperCase()} ${op.path} ${probe.title}: ${probe.body}`;
        const direct = await handler(
          apiEvent(op.method.toUpperCase(), target, { resource: op.path, pathParameters: Object.keys(parts.path).length ? parts.path : undefined, headers, ...(probe.body !== undefined ? { body: probe.body } : {}) }),
          {},
        );
        const send = (method: string, at: string, h: Record<string, string>) => overHttp(method, at, h, undefined);
        if (direct.statusCode === 201) await undo?.(direct.body, rawPath, parts.headers, send);
        const local = await overHttp(op.method.toUpperCase(), target, headers, probe.body);
        if (local.status === 201) await undo?.(local.text, rawPath, parts.headers, send);
        compared++;
        // The prediction: the deployed model (draft-04, as API Gateway reads it) refuses, or the function answers.
        let refused = false;
        if (model) {
          let value: unknown = null;
          try {
            value = probe.body === undefined || probe.body.trim() === '' ? null : JSON.parse(probe.body);
          } catch {
            refused = true;
          }
          refused ||= !model(value);
        }
        if (refused) {
          expect(local.status, label).toBe(400);
          expect(local.gatewayMade, label).toBe(true);
          const parsed = JSON.parse(local.text) as { message: string; detail: string };
          expect(parsed.message, label).toBe('Invalid request body');
          expect(parsed.detail, label).toMatch(/^\[.+\]$/);
          // The service refuses it too: it enforces the whole schema, which the model is part of.
          expect(direct.statusCode, label).toBe(400);
        } else {
          expect(local.gatewayMade && local.status === 400, `${label}: the local gateway refused what the deployed model takes`).toBe(false);
          expect(local.status, label).toBe(direct.statusCode);
          expect(mask(normalised(local.text)), label).toBe(mask(normalised(direct.body)));
        }
      }
    }
    expect(compared).toBeGreaterThan(10);
  }, 120_000);
});
}
