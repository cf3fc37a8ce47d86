import { describe, expect, it } from 'vitest';
import { generateCases, type Case } from '../../../../infra/src/tools/conformance/cases';
import type { OpenApiDocument } from '../../../../infra/src/tools/conformance/document';
import { formatTable } from '../../../../infra/src/tools/conformance/report';
import { planConformance, runConformance } from '../../../../infra/src/tools/conformance/run';
import { schemaChecker } from '../../../../infra/src/tools/conformance/schemas';

const ok = { description: 'OK', content: { 'application/json': { schema: { type: 'object' } } } };
const key = { securitySchemes: { key: { type: 'apiKey', in: 'header', name: 'x-api-key' } } };

/** Every place a user's schema can put a `pattern`: a path, query and header parameter, and body properties (nested, in an array, behind a $ref). */
const patterned: OpenApiDocument = {
  openapi: '3.1.0',
  paths: {
    '/shelves/{isbn}/copies': {
      post: {
        operationId: 'addCopy',
        security: [{ key: [] }],
        parameters: [
          { name: 'isbn', in: 'path', required: true, schema: { type: 'string', pattern: '^[0-9]{13}$' } },
          { name: 'branch', in: 'query', required: true, schema: { type: 'string', pattern: '^[a-z]{2,4}-[0-9]{2}$' } },
          { name: 'x-card', in: 'header', required: true, schema: { type: 'string', pattern: '^C[0-9]{8}$' } },
        ],
        requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/Copy' } } } },
        responses: { '201': ok },
      },
    },
  },
  components: {
    ...key,
    schemas: {
      Copy: {
        type: 'object',
        required: ['barcode', 'shelf', 'tags', 'copies'],
        additionalProperties: false,
        properties: {
          // A pattern with a length bound: both must hold.
          barcode: { type: 'string', pattern: '^BC-[A-Z]{3}-\\d{1,8}$', maxLength: 11 },
          shelf: { type: 'object', required: ['code'], properties: { code: { $ref: '#/components/schemas/ShelfCode' } } },
          tags: { type: 'array', minItems: 1, items: { type: 'string', pattern: '^#[a-z]+$' } },
          copies: { type: 'integer', minimum: 1, maximum: 10, multipleOf: 3 },
          // A choice of patterns, as TypeBox writes a union of two patterned strings.
          ref: { anyOf: [{ type: 'string', pattern: '^OLD-[0-9]{4}$' }, { type: 'string', pattern: '^NEW-[a-f0-9]{6}$' }] },
        },
      },
      ShelfCode: { type: 'string', pattern: '^[A-F][0-9]$' },
    },
  },
};

const validOf = (cases: Case[], operationId: string) => cases.find((c) => c.id === `${operationId}.valid`)!;

describe('valid values for schemas with a pattern', () => {
  const checker = schemaChecker(patterned);

  it('builds path, query and header values that match their patterns (it threw "Cannot build a valid value" before)', () => {
    const valid = validOf(generateCases(patterned, checker, { corsOrigins: [] }), 'addCopy');
    expect(valid.skip).toBeUndefined();
    const url = new URL(valid.request.path, 'http://stage.example');
    expect(url.pathname).toMatch(/^\/shelves\/[0-9]{13}\/copies$/);
    expect(url.searchParams.get('branch')).toMatch(/^[a-z]{2,4}-[0-9]{2}$/);
    expect(valid.request.headers['x-card']).toMatch(/^C[0-9]{8}$/);
  });

  it('builds a body whose patterned properties match, nested, in arrays, behind a $ref and in an anyOf, with the other keywords of each', () => {
    const valid = validOf(generateCases(patterned, checker, { corsOrigins: [] }), 'addCopy');
    const body = JSON.parse(valid.request.body as string) as Record<string, unknown>;
    expect(checker.check({ $ref: '#/components/schemas/Copy' }, body)).toEqual([]);
    expect(body.barcode).toMatch(/^BC-[A-Z]{3}-\d{1,4}$/);
    expect((body.shelf as { code: string }).code).toMatch(/^[A-F][0-9]$/);
    expect(body.tags).toEqual([expect.stringMatching(/^#[a-z]+$/)]);
    expect(body.copies).toSatisfy((n: number) => n % 3 === 0 && n >= 1 && n <= 10);
    expect(body.ref).toMatch(/^(OLD-[0-9]{4}|NEW-[a-f0-9]{6})$/);
  });

  it('keeps the near-misses of a patterned parameter: a value its pattern rejects is the function’s 400', () => {
    const cases = generateCases(patterned, checker, { corsOrigins: [] });
    const invalid = cases.find((c) => c.id === 'addCopy.path.isbn.invalid')!;
    expect(invalid.request.path).toMatch(/^\/shelves\/conformance-not-valid\/copies\?/);
    expect(invalid.expect).toMatchObject({ status: 400, source: 'service', namesField: 'isbn' });
    expect(cases.map((c) => c.id)).toEqual(expect.arrayContaining(['addCopy.query.branch.invalid', 'addCopy.header.x-card.missing', 'addCopy.body.wrong-type']));
  });

  it('is deterministic: the same document gives the same requests, so a failure can be sent again as it was', () => {
    // But for the wrong key and the unknown path, random by design.
    const requests = () => generateCases(patterned, schemaChecker(patterned), { corsOrigins: [] }).filter((c) => c.operationId && c.id !== 'addCopy.wrong-key').map((c) => c.request);
    expect(requests()).toEqual(requests());
  });
});

/** Schemas no value can be built for, or none that can be sent where the parameter goes. */
const unbuildable: OpenApiDocument = {
  openapi: '3.1.0',
  paths: {
    '/things/{code}': {
      get: {
        operationId: 'getThing',
        security: [{ key: [] }],
        // The pattern wants 13 digits, maxLength allows 5.
        parameters: [{ name: 'code', in: 'path', required: true, schema: { type: 'string', pattern: '^[0-9]{13}$', maxLength: 5 } }],
        responses: { '200': ok },
      },
    },
    '/greek': {
      get: {
        operationId: 'greek',
        security: [{ key: [] }],
        // Only Greek letters: a header value must be visible ASCII.
        parameters: [{ name: 'x-word', in: 'header', required: true, schema: { type: 'string', pattern: '^\\p{Script=Greek}{3}$' } }],
        responses: { '200': ok },
      },
    },
    '/lookahead': {
      post: {
        operationId: 'lookahead',
        security: [{ key: [] }],
        requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', required: ['password'], properties: { password: { type: 'string', pattern: '^(?=.*[0-9])(?=.*[A-Z]).{8,}$' } } } } } },
        responses: { '200': ok },
      },
    },
    '/fine': { get: { operationId: 'fine', security: [{ key: [] }], responses: { '200': ok } } },
  },
  components: key,
};

describe('a schema no valid value can be built for', () => {
  const checker = schemaChecker(unbuildable);

  it('skips that operation with one line naming the operation, the parameter and why; the other operations keep their cases', () => {
    const cases = generateCases(unbuildable, checker, { corsOrigins: [] });
    for (const operationId of ['getThing', 'greek', 'lookahead']) {
      const ofIt = cases.filter((c) => c.operationId === operationId);
      expect(ofIt.map((c) => c.id)).toEqual([`${operationId}.valid`]);
      expect(ofIt[0]!.skip).toMatch(new RegExp(`^${operationId} `));
      expect(ofIt[0]!.skip).not.toContain('\n');
    }
    expect(validOf(cases, 'getThing').skip).toMatch(/^getThing path parameter "code": no value valid against its schema could be built \(must match pattern .*; no string drawn from the pattern "\^\[0-9\]\{13\}\$" satisfies the rest of its schema \("[0-9]{13}": must NOT have more than 5 characters\)\); its cases are skipped\.$/);
    expect(validOf(cases, 'greek').skip).toMatch(/^greek header parameter "x-word": no value .* can be sent as an HTTP header/);
    expect(validOf(cases, 'lookahead').skip).toMatch(/^lookahead request body: no value valid against its schema could be built \(.*password.*pattern.*\)/);
    expect(cases.filter((c) => c.operationId === 'fine').map((c) => c.id)).toEqual(['fine.valid', 'fine.no-key', 'fine.wrong-key']);
  });

  it('the run continues: the skipped operations send nothing, are counted as skipped and listed once under Notes', async () => {
    const plan = planConformance({ document: unbuildable, corsOrigins: [] });
    const sent: string[] = [];
    const fetchStub: typeof fetch = async (input, init) => {
      sent.push(`${init?.method ?? 'GET'} ${String(input)}`);
      return new Response(JSON.stringify({ message: 'Missing Authentication Token' }), { status: 403, headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'MissingAuthenticationTokenException' } });
    };
    const report = await runConformance({ document: unbuildable, target: { baseUrl: 'http://127.0.0.1:9/dev', apiKey: 'k', local: true }, rate: 1000, fetch: fetchStub });
    expect(report.counts.skip).toBe(3);
    expect(sent.some((line) => /\/things\/|\/greek|\/lookahead/.test(line) && !/00000000-0000/.test(line))).toBe(false);
    expect(report.planned).toBe(plan.planned);
    const table = formatTable(report);
    expect(table).toMatch(/^ {2}- getThing path parameter "code": no value valid against its schema could be built/m);
    expect(table).not.toMatch(/^\s+at /m);
  });
});
