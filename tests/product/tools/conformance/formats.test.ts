import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import fc from 'fast-check';
import { Compile } from 'typebox/compile';
import { Format } from 'typebox/format';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateCases, type Case } from '../../../../infra/src/tools/conformance/cases';
import type { OpenApiDocument, Schema } from '../../../../infra/src/tools/conformance/document';
import { SERVICE_FORMATS } from '../../../../infra/src/tools/conformance/formats';
import { SampleError, validSample, type ValueSlot } from '../../../../infra/src/tools/conformance/samples';
import { schemaChecker } from '../../../../infra/src/tools/conformance/schemas';
import { FORMAT_EXAMPLES, FORMAT_EXAMPLES_NAMES } from '../../../support/formats';
import { PARCELS } from '../../../support/apps';
import { ROOT, runProcess } from '../../../support/process';

// The registry as TypeBox ships it (Format.Reset), whatever a test file run before this one in the same worker
// registered (the suite shares a worker's modules: isolate false); what was registered is put back.
const TYPEBOX_FORMATS = (() => {
  const registered = Format.Entries();
  Format.Reset();
  const shipped = Format.Entries().map(([name]) => name).sort();
  Format.Clear();
  for (const [name, check] of registered) Format.Set(name, check);
  return shipped;
})();

const ok = { description: 'OK', content: { 'application/json': { schema: { type: 'object' } } } };
const key = { securitySchemes: { key: { type: 'apiKey', in: 'header', name: 'x-api-key' } } };
const docOf = (schemas: Record<string, Schema> = {}, paths: OpenApiDocument['paths'] = {}): OpenApiDocument => ({ openapi: '3.1.0', paths, components: { ...key, schemas } });

/** An independent reading of the formats: Ajv with ajv-formats alone (no TypeBox check added), for the names it knows. */
const plainAjv = new Ajv2020({ strict: false, validateFormats: true, logger: false });
addFormats(plainAjv);
const ajvKnows = (name: string) => plainAjv.formats[name] !== undefined;

describe('the suite knows the formats the service checks', () => {
  it('has a value generator and a check for each format TypeBox 1.x checks, and no other', () => {
    expect(TYPEBOX_FORMATS.length).toBeGreaterThanOrEqual(21);
    expect(Object.keys(SERVICE_FORMATS).sort()).toEqual(TYPEBOX_FORMATS);
    expect(FORMAT_EXAMPLES_NAMES).toEqual(TYPEBOX_FORMATS);
  });

  it("its Ajv checker judges each format as TypeBox does (ajv-formats alone would not: 'a@b' is TypeBox's email, not Ajv's)", () => {
    const checker = schemaChecker(docOf());
    for (const [name, { valid, invalid }] of Object.entries(FORMAT_EXAMPLES)) {
      expect({ name, valid: checker.check({ type: 'string', format: name }, valid) }).toEqual({ name, valid: [] });
      expect({ name, invalid: checker.check({ type: 'string', format: name }, invalid).length > 0 }).toEqual({ name, invalid: true });
    }
    expect(checker.check({ type: 'string', format: 'email' }, 'a@b')).toEqual([]);
  });
});

/** Values of each format, of several lengths: a witness that the schemas drawn around it have a valid value. */
const WITNESSES: Record<string, string[]> = {
  ...Object.fromEntries(Object.entries(FORMAT_EXAMPLES).map(([name, { valid }]) => [name, [valid]])),
  email: ['a@b.co', 'ada@example.org', 'ada.lovelace+analytical-engine@mathematics.example.org'],
  uri: ['a:b', 'https://example.org/a?b=1', 'https://example.org/a/very/long/path/that/goes/on/and/on/for/a/while/yes'],
  'uri-reference': ['a', '../a?b=1#c', 'https://cdn.example.org/avatars/ada-lovelace.png'],
  hostname: ['a', 'api.example.org', 'a-rather-long-label.and-another-one.example.org'],
  'date-time': ['2024-02-29T12:30:00Z', '2024-02-29T12:30:00.123456789+05:30'],
  time: ['12:30:00Z', '12:30:00.000001-08:00'],
  'json-pointer': ['', '/a', '/a/b~1c/d~0e/f'],
  regex: ['a', '^[a-z]+$', '^(?:[A-Z]{2,4})-[0-9]{1,6}$'],
};

const ASCII = /^[\x21-\x7e]+$/;
// Unicode mode allows escaping syntax characters only (not `-`).
const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** A string schema with a format, bounds around a witness, and perhaps a pattern the witness matches; and where it goes. */
const formattedSchema = fc
  .constantFrom(...Object.keys(WITNESSES))
  .chain((format) => fc.record({ format: fc.constant(format), witness: fc.constantFrom(...WITNESSES[format]!) }))
  .chain(({ format, witness }) =>
    fc.record({
      format: fc.constant(format),
      witness: fc.constant(witness),
      minLength: fc.option(fc.nat({ max: witness.length }), { nil: undefined }),
      maxLength: fc.option(fc.integer({ min: witness.length, max: witness.length + 40 }), { nil: undefined }),
      pattern: fc.option(fc.constantFrom('\\S', '^[^\\s<>]*$', `^${escapeRegex(witness)}$`), { nil: undefined, freq: 2 }),
      slot: fc.constantFrom<ValueSlot>(...(ASCII.test(witness) ? (['body', 'query', 'header', 'path'] as const) : (['body', 'query'] as const))),
    }),
  )
  .filter(({ witness, pattern, slot }) => (pattern === undefined || new RegExp(pattern, 'u').test(witness)) && (slot !== 'path' || (witness !== '.' && witness !== '..' && witness !== '')) && (slot === 'body' || witness !== ''));

describe("the URL formats' generators are built when a schema needs one, not when the suite loads", () => {
  it('loading the module builds no URL arbitrary (fast-check spends about 1 s on the first); the first use builds one, kept', async () => {
    // In a process of its own, as the command loads it (infra/dist), fast-check's fc.webUrl and fc.webPath counted
    // through a proxy of the module (its exports cannot be spied on: non-configurable getters).
    const script = `
      const Module = require('node:module');
      const calls = { webUrl: 0, webPath: 0 };
      const load = Module._load;
      Module._load = function (request, ...rest) {
        const real = load.call(this, request, ...rest);
        if (request !== 'fast-check') return real;
        const counted = new Proxy(real.default, { get: (target, name) => (name in calls ? (calls[name]++, target[name]) : target[name]) });
        return new Proxy(real, { get: (target, name) => (name === 'default' ? counted : target[name]) });
      };
      const { SERVICE_FORMATS: f } = require(${JSON.stringify(path.join(ROOT, 'infra/dist/tools/conformance/formats.js'))});
      const atLoad = { ...calls };
      const uri = f.uri.values;
      const kept = f.uri.values === uri && f.iri.values === uri && f['uri-reference'].values === f['iri-reference'].values;
      console.log(JSON.stringify({ atLoad, afterUse: calls, kept }));`;
    const run = await runProcess(process.execPath, ['-e', script], { cwd: PARCELS.dir, timeoutMs: 60_000 });
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ atLoad: { webUrl: 0, webPath: 0 }, afterUse: { webUrl: 2, webPath: 1 }, kept: true });
  });
});

describe('valid values for formats (property): what the suite sends passes the service and Ajv', () => {
  it('for random schemas mixing a format with length bounds and a pattern, the drawn value passes TypeBox (as the app checks it) and Ajv', () => {
    const doc = docOf();
    const checker = schemaChecker(doc);
    fc.assert(
      fc.property(formattedSchema, ({ format, minLength, maxLength, pattern, slot }) => {
        const schema: Schema = { type: 'string', format, ...(minLength !== undefined ? { minLength } : {}), ...(maxLength !== undefined ? { maxLength } : {}), ...(pattern ? { pattern } : {}) };
        const value = validSample(doc, schema, checker, `op ${slot} "x"`, slot);
        expect(typeof value).toBe('string');
        expect({ schema, value, service: Compile(schema).Check(value) }).toEqual({ schema, value, service: true });
        expect({ schema, value, ajv: checker.check(schema, value) }).toEqual({ schema, value, ajv: [] });
        if (ajvKnows(format)) expect({ schema, value, ajvFormats: plainAjv.validate(schema, value) }).toEqual({ schema, value, ajvFormats: true });
      }),
      { seed: 21, numRuns: 400 },
    );
  });

  it('inside objects, arrays and unions too, the whole body passing both', () => {
    const doc = docOf({
      Profile: {
        type: 'object',
        required: ['site', 'emails', 'seen', 'alias'],
        properties: {
          site: { type: 'string', format: 'uri', minLength: 40 },
          emails: { type: 'array', minItems: 2, items: { type: 'string', format: 'email', maxLength: 30 } },
          seen: { anyOf: [{ type: 'string', format: 'date-time' }, { type: 'null' }] },
          alias: { $ref: '#/components/schemas/Host' },
        },
      },
      Host: { type: 'string', format: 'hostname', maxLength: 12 },
    });
    const checker = schemaChecker(doc);
    const body = validSample(doc, { $ref: '#/components/schemas/Profile' }, checker, 'op request body') as Record<string, unknown>;
    expect(checker.check({ $ref: '#/components/schemas/Profile' }, body)).toEqual([]);
    const service = Compile({ ...doc.components!.schemas!.Profile!, properties: { ...(doc.components!.schemas!.Profile!.properties as object), alias: doc.components!.schemas!.Host } } as never);
    expect(service.Check(body)).toBe(true);
    expect((body.site as string).length).toBeGreaterThanOrEqual(40);
    expect(body.emails).toHaveLength(2);
  });

  it('is seeded: the same schema gives the same value on every run, so a failure can be replayed', () => {
    const schema = { type: 'string', format: 'email', minLength: 12 };
    const draw = () => validSample(docOf(), schema, schemaChecker(docOf()), 'op body');
    expect(draw()).toEqual(draw());
  });
});

const customFormat = docOf(
  { Tagged: { type: 'object', required: ['tag'], properties: { tag: { type: 'string', format: 'contact-tag' } } } },
  {
    '/tags': { put: { operationId: 'putTag', security: [{ key: [] }], requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/Tagged' } } } }, responses: { '204': { description: 'none' } } } },
    '/notes': {
      post: {
        operationId: 'postNote',
        security: [{ key: [] }],
        requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', required: ['text'], properties: { text: { type: 'string' }, tag: { type: 'string', format: 'contact-tag' } } } } } },
        responses: { '201': ok },
      },
    },
  },
);

describe('a format the suite has no generator for (one the app registered itself)', () => {
  it('skips the operation that needs it with one line naming the format, never sends a value the app would refuse', () => {
    const cases = generateCases(customFormat, schemaChecker(customFormat), { corsOrigins: [] });
    const skipped = cases.filter((c) => c.operationId === 'putTag');
    expect(skipped.map((c) => c.id)).toEqual(['putTag.valid']);
    expect(skipped[0]!.skip).toMatch(/^putTag request body: no value valid against its schema could be built \(.*the format "contact-tag" has no value generator in the conformance suite.*\); its cases are skipped\.$/);
    expect(skipped[0]!.skip).not.toContain('\n');
  });

  it('an optional field in it is left out of the valid request, so the operation still runs', () => {
    const cases = generateCases(customFormat, schemaChecker(customFormat), { corsOrigins: [] });
    const valid = cases.find((c) => c.id === 'postNote.valid')!;
    expect(valid.skip).toBeUndefined();
    expect(JSON.parse(valid.request.body as string)).toEqual({ text: expect.any(String) });
  });

  it('throws SampleError for a value alone in that format', () => {
    expect(() => validSample(docOf(), { type: 'string', format: 'contact-tag' }, schemaChecker(docOf()), 'op query parameter "tag"', 'query')).toThrow(SampleError);
  });
});

const withFormats = docOf(
  {
    ContactCreate: {
      type: 'object',
      required: ['name', 'homepage', 'avatar', 'born', 'id'],
      additionalProperties: false,
      properties: {
        name: { type: 'string', minLength: 1 },
        homepage: { type: 'string', format: 'uri' },
        avatar: { type: 'string', format: 'uri-reference', minLength: 30, maxLength: 60 },
        born: { type: 'string', format: 'date' },
        // The model keeps uuid's pattern: the gateway answers for it, not the function.
        id: { type: 'string', format: 'uuid', pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$' },
        contact: { type: 'object', properties: { email: { type: 'string', format: 'email' } } },
      },
    },
  },
  {
    '/contacts': {
      post: { operationId: 'createContact', security: [{ key: [] }], requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/ContactCreate' } } } }, responses: { '201': ok } },
      get: { operationId: 'listContacts', security: [{ key: [] }], parameters: [{ name: 'since', in: 'query', required: true, schema: { type: 'string', format: 'date-time' } }, { name: 'host', in: 'query', required: false, schema: { type: 'string', format: 'hostname' } }], responses: { '200': ok } },
    },
  },
);

describe('near-misses of a format: the function’s 400 naming the field', () => {
  const checker = schemaChecker(withFormats);
  const cases = generateCases(withFormats, checker, { corsOrigins: [] });
  const byId = (id: string): Case => cases.find((c) => c.id === id)!;

  it('one case per body field with a format the model leaves to the service, the field alone breaking only its format', () => {
    const ids = cases.filter((c) => /\.format$/.test(c.id)).map((c) => c.id);
    expect(ids).toEqual(['createContact.body.homepage.format', 'createContact.body.avatar.format', 'createContact.body.born.format', 'createContact.body.contact.email.format']);
    const valid = JSON.parse(byId('createContact.valid').request.body as string) as Record<string, unknown>;
    for (const [id, pointer] of [['createContact.body.avatar.format', '/avatar'], ['createContact.body.contact.email.format', '/contact/email']] as const) {
      const c = byId(id);
      expect(c.expect).toEqual({ status: 400, source: 'service', namesField: pointer });
      expect(c.note).toMatch(/API Gateway does not check formats/);
      const sent = JSON.parse(c.request.body as string) as Record<string, any>;
      const field = pointer === '/avatar' ? sent.avatar : sent.contact.email;
      // Only the format is broken: the length bounds still hold, the rest of the body is the valid one.
      if (pointer === '/avatar') expect(field.length).toBeGreaterThanOrEqual(30);
      expect(checker.check({ $ref: '#/components/schemas/ContactCreate' }, sent).join('; ')).toMatch(/must match format/);
      expect({ ...sent, avatar: valid.avatar, contact: valid.contact }).toEqual(valid);
    }
  });

  it('a query value that breaks its format is one too (the value chosen by TypeBox’s reading of the format)', () => {
    expect(byId('listContacts.query.since.invalid').expect).toEqual({ status: 400, source: 'service', namesField: 'since' });
  });
});
