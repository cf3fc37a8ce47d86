import fc from 'fast-check';
import Type, { type TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { describe, expect, it } from 'vitest';
import { withoutIds } from '../../../infra/src/route/validation';
import { ListTodosQuery, Todo, TodoCreate, TodoIdParams, TodoList, TodoPatch, TodoReplace } from '../../../service/todos/schemas';

const SCHEMAS: Array<[string, TSchema]> = Object.entries({ Todo, TodoCreate, TodoReplace, TodoPatch, TodoList, ListTodosQuery, TodoIdParams });

// Values shaped like requests, valid and not: right and wrong types, missing and extra fields.
const field = fc.oneof(fc.string({ maxLength: 3 }), fc.constantFrom('', 'low', 'high', 'urgent', 'x'.repeat(201)), fc.integer(), fc.boolean(), fc.constant(null), fc.constant([]));
const candidate = fc.oneof(
  fc.record({ title: field, description: field, priority: field, completed: field, extra: field }, { requiredKeys: [] }),
  fc.record({ items: fc.array(fc.record({ id: field, title: field }, { requiredKeys: [] }), { maxLength: 2 }), nextCursor: field }, { requiredKeys: [] }),
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
    const stripped = withoutIds(TodoCreate) as TSchema & Record<string, unknown>;
    expect(stripped.$id).toBeUndefined();
    expect((TodoCreate as TSchema & { $id?: string }).$id).toBe('TodoCreate');
    expect({ ...stripped }).toEqual(Object.fromEntries(Object.entries(TodoCreate).filter(([k]) => k !== '$id')));
    expect(Object.getOwnPropertyDescriptor(stripped, '~kind')).toEqual(Object.getOwnPropertyDescriptor(TodoCreate, '~kind'));
    const description = (stripped.properties as Record<string, object>).description!;
    expect(Object.getOwnPropertyDescriptor(description, '~optional')).toMatchObject({ value: true, enumerable: false });
  });

  it('keeps $id inside data (a default) and leaves a schema with $ref as it is', () => {
    const withData = Type.Object({ meta: Type.Object({}, { default: { $id: 'data' } }) }, { $id: 'WithData' });
    expect((withoutIds(withData) as { properties: { meta: { default: unknown } } }).properties.meta.default).toEqual({ $id: 'data' });
    const withRef = { $id: 'Outer', type: 'object', properties: { inner: { $ref: 'Inner' } } } as unknown as TSchema;
    expect(withoutIds(withRef)).toBe(withRef);
  });
});
