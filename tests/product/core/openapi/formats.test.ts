import { describe, expect, it } from 'vitest';
import { buildApiDefinition, LOCAL_INVOKE_ARN } from '../../../../infra/src/core/definition';
import { buildOpenApi } from '../../../../infra/src/core/openapi/build';
import { validateOpenApi } from '../../../../infra/src/core/openapi/validate';
import { buildGatewaySpec } from '../../../../infra/src/core/plan';
import { modelFormats } from '../../../../infra/src/core/plan/formats';
import { createFormatsApp } from '../../../support/apps/formats/app';

type Doc = { paths: Record<string, Record<string, any>>; components: { schemas: Record<string, any> } };

/**
 * The gateway model leaves `format` out (docs/apigateway-behaviour.md §4.17), the public document keeps it:
 * it is the contract clients, `/docs` and the conformance suite read, and the service checks every format it declares.
 */
describe('formats in the public OpenAPI 3.1 document (tests/support/apps/formats)', () => {
  const spec = buildGatewaySpec(createFormatsApp());
  const definition = buildApiDefinition(spec, { corsOrigins: [] }, LOCAL_INVOKE_ARN);
  const doc = buildOpenApi(definition, { title: 'contacts', version: '1.0.0', stageName: 'dev', formats: modelFormats(spec) }) as Doc;
  const schemas = doc.components.schemas;

  it('every body and response property keeps the format its route declared', () => {
    expect(schemas.ContactCreate.properties.homepage).toEqual({ type: 'string', format: 'uri' });
    expect(schemas.ContactCreate.properties.avatar).toEqual({ type: 'string', format: 'uri-reference', minLength: 30, maxLength: 60 });
    expect(schemas.ContactCreate.properties.workEmail).toEqual({ type: 'string', format: 'email', pattern: '@example\\.org$' });
    expect(schemas.ContactCreate.properties.tag).toEqual({ type: 'string', format: 'contact-tag' });
    expect(schemas.LinksUpdate.properties.profile.properties.iri).toEqual({ type: 'string', format: 'iri' });
    expect(schemas.Contact.properties.createdAt).toEqual({ type: 'string', format: 'date-time' });
    // uuid: the model's exact pattern stays beside the format.
    expect(schemas.Contact.properties.id).toMatchObject({ type: 'string', format: 'uuid', pattern: expect.any(String) });
  });

  it('parameters keep theirs (as before)', () => {
    const list = doc.paths['/contacts']!.get.parameters as Array<{ name: string; schema: Record<string, unknown> }>;
    expect(list.find((p) => p.name === 'since')!.schema).toEqual({ type: 'string', format: 'date-time' });
  });

  it('the definition API Gateway imports carries none', () => {
    expect(JSON.stringify(definition.components.schemas)).not.toContain('"format"');
  });

  it('is valid OpenAPI 3.1', async () => {
    expect(await validateOpenApi(doc)).toMatchObject({ valid: true });
  });
});
