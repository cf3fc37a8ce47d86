import Type, { type Static } from 'typebox';

// `$id`s become API Gateway model names: alphanumeric and stable.
export const Priority = Type.Enum(['low', 'medium', 'high'], { description: 'How urgent the todo is.' });

const Title = Type.String({ minLength: 1, maxLength: 200, description: 'What to do.' });
const Description = Type.String({ maxLength: 1000 });

export const Todo = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    title: Title,
    description: Type.Union([Description, Type.Null()]),
    priority: Priority,
    completed: Type.Boolean(),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'Todo', additionalProperties: false },
);
export type Todo = Static<typeof Todo>;

const writableFields = {
  title: Title,
  description: Type.Optional(Description),
  priority: Type.Optional(Type.Enum(['low', 'medium', 'high'], { default: 'medium' })),
  completed: Type.Optional(Type.Boolean({ default: false })),
};

export const TodoCreate = Type.Object(writableFields, { $id: 'TodoCreate', additionalProperties: false });
export type TodoCreate = Static<typeof TodoCreate>;

/** PUT replaces the whole todo: omitted optional fields return to their defaults. */
export const TodoReplace = Type.Object(writableFields, { $id: 'TodoReplace', additionalProperties: false });
export type TodoReplace = Static<typeof TodoReplace>;

/** PATCH changes only the fields sent; at least one. `description: null` clears it. */
export const TodoPatch = Type.Object(
  {
    title: Type.Optional(Title),
    description: Type.Optional(Type.Union([Description, Type.Null()])),
    priority: Type.Optional(Priority),
    completed: Type.Optional(Type.Boolean()),
  },
  { $id: 'TodoPatch', additionalProperties: false, minProperties: 1 },
);
export type TodoPatch = Static<typeof TodoPatch>;

export const TodoIdParams = Type.Object({ id: Type.String({ format: 'uuid', description: 'The todo id (a UUID).' }) });

/**
 * Headers of the create: an optional Idempotency-Key (draft-ietf-httpapi-idempotency-key-header, section 2: a client-chosen
 * unique value, a UUID is suggested). Retrying a create with the same key and body returns the todo the first
 * attempt made, never a second one: the way to retry a create answered 503 or with no answer at all.
 */
export const CreateTodoHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 255,
      description: 'A unique value per create (a UUID): a retry with the same key and body answers the todo the first attempt created (201, `Idempotent-Replayed: true`) instead of creating another; the same key with another body is a 422.',
    }),
  ),
});
export type CreateTodoHeaders = Static<typeof CreateTodoHeaders>;

/** Headers of the writes that support optimistic concurrency (PUT, PATCH, DELETE). */
export const IfMatchHeaders = Type.Object({
  'if-match': Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 512,
      description: 'The ETag from a previous response: the write applies only if the todo has not changed since (else 412). `*` matches any existing todo.',
    }),
  ),
});
export type IfMatchHeaders = Static<typeof IfMatchHeaders>;

export const ListTodosQuery = Type.Object({
  completed: Type.Optional(Type.Boolean()),
  priority: Type.Optional(Priority),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 1024, description: 'Opaque cursor from a previous page.' })),
});
export type ListTodosQuery = Static<typeof ListTodosQuery>;

export const TodoList = Type.Object(
  {
    items: Type.Array(Todo),
    nextCursor: Type.Union([Type.String(), Type.Null()]),
  },
  { $id: 'TodoList', additionalProperties: false },
);
export type TodoList = Static<typeof TodoList>;

export const ErrorResponse = Type.Object(
  {
    message: Type.String(),
    errors: Type.Optional(
      Type.Array(
        Type.Object({
          path: Type.String(),
          message: Type.String(),
          in: Type.Optional(Type.Enum(['body', 'query', 'path', 'header'])),
        }),
      ),
    ),
  },
  { $id: 'ErrorResponse' },
);
