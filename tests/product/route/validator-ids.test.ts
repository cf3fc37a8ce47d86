import fc from 'fast-check';
import Type, { type TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { describe, expect, it } from 'vitest';
import { withoutIds } from '../../../infra/src/route/validation';
import { Parcel, ParcelCreate, ParcelList, ParcelParams, ParcelPatch, ParcelQuery } from '../../support/apps/parcels/schemas';

// An app's schemas, as a user writes them (the parcels app's).
const SCHEMAS: Array<[string, TSchema]> = Object.entries({ Parcel, ParcelCreate, ParcelPatch, ParcelList, ParcelQuery, ParcelParams });

// Values shaped like requests, valid and not: right and wrong types, missing and extra fields.
const field = fc.oneof(fc.string({ maxLength: 3 }), fc.constantFrom('', 'S', 'L', 'XL', 'shipped', 'x'.repeat(101)), fc.integer(), fc.boolean(), fc.constant(null), fc.constant([]));
const candidate = fc.oneof(
  fc.record({ recipient: field, note: field, size: field, express: field, status: field, limit: field, extra: field }, { requiredKeys: [] }),
  fc.record({ items: fc.array(fc.record({ id: field, recipient: field }, { requiredKeys: [] }), { maxLength: 2 }), total: field }, { requiredKeys: [] }),
  field,
);

describe('validators compiled without $ids (faster errors, same answers)', () => {
  it.each(SCHEMAS)('%s: the same Check and the same Errors, in order, for any value', (_name, schema) => {
    const [original, stripped] = [Compile(schema), Compile(withoutIds(schema))];
    fc.assert(
      fc.property(candidate, (value) => {
        expect(stripped.Check(value)).toBe(original.Check(value));
        expect(stripped.Errors(value)).toEqual(original.Errors(value));
      }),
      { numRuns: 300 },
    );
  });

  it("keeps TypeBox's hidden markers and every keyword but $id, and leaves the original untouched", () => {
    const stripped = withoutIds(ParcelCreate) as TSchema & Record<string, unknown>;
    expect(stripped.$id).toBeUndefined();
    expect((ParcelCreate as TSchema & { $id?: string }).$id).toBe('ParcelCreate');
    expect({ ...stripped }).toEqual(Object.fromEntries(Object.entries(ParcelCreate).filter(([k]) => k !== '$id')));
    expect(Object.getOwnPropertyDescriptor(stripped, '~kind')).toEqual(Object.getOwnPropertyDescriptor(ParcelCreate, '~kind'));
    const note = (stripped.properties as Record<string, object>).note!;
    expect(Object.getOwnPropertyDescriptor(note, '~optional')).toMatchObject({ value: true, enumerable: false });
  });

  it('keeps $id inside data (a default) and leaves a schema with $ref as it is', () => {
    const withData = Type.Object({ meta: Type.Object({}, { default: { $id: 'data' } }) }, { $id: 'WithData' });
    expect((withoutIds(withData) as { properties: { meta: { default: unknown } } }).properties.meta.default).toEqual({ $id: 'data' });
    const withRef = { $id: 'Outer', type: 'object', properties: { inner: { $ref: 'Inner' } } } as unknown as TSchema;
    expect(withoutIds(withRef)).toBe(withRef);
  });
});
