import Type, { type Static } from 'typebox';

// `$id`s become API Gateway model names: alphanumeric and stable.
export const Priority = Type.Enum(['low', 'medium', 'high'], { description: 'How urgent the todo is.' });

const Title = Type.String({ minLength: 1, maxLength: 200, description: 'What to do.' });
const Description = Type.String({ maxLength: 1000 });

/** The largest attachment a todo takes, in bytes (256 KiB): the route's `bodyLimit` (413 past it); DynamoDB items hold at most 400 KB. */
export const ATTACHMENT_LIMIT_BYTES = 256 * 1024;

/**
 * The media types an attachment may have: its upload's Content-Type must be one of them (else 415), and its download
 * answers with the one it was uploaded with. Declared binary (docs/binary.md), so API Gateway passes their bytes as
 * they are; binary types apply to the whole API, hence a list of file types and never `*\/*` or `text/*`.
 */
export const ATTACHMENT_MEDIA_TYPES = ['application/octet-stream', 'application/pdf', 'application/zip', 'image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const;

/** A todo's attachment, as the todo shows it: its file name, media type, size and SHA-256 (the bytes: `GET .../attachment`). */
export const Attachment = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 255, description: 'The file name given at upload (`filename`).' }),
    mediaType: Type.String({ minLength: 3, maxLength: 255, description: 'The Content-Type it was uploaded with, and is downloaded with.' }),
    size: Type.Integer({ minimum: 1, maximum: ATTACHMENT_LIMIT_BYTES, description: 'Its length in bytes.' }),
    sha256: Type.String({ pattern: '^[0-9a-f]{64}$', description: 'The SHA-256 of its bytes, in hex.' }),
  },
  { $id: 'Attachment', additionalProperties: false },
);
export type Attachment = Static<typeof Attachment>;

export const Todo = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    title: Title,
    description: Type.Union([Description, Type.Null()]),
    priority: Priority,
    completed: Type.Boolean(),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
    /** Present while the todo has an attachment (`PUT /api/v1/todos/{id}/attachment`). */
    attachment: Type.Optional(Attachment),
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

/**
 * The query of an attachment upload: the file's name (default `attachment`), kept and sent back in the download's
 * Content-Disposition. Any characters but control characters and path separators.
 */
export const AttachmentQuery = Type.Object({
  filename: Type.Optional(Type.String({ minLength: 1, maxLength: 255, pattern: '^[^\\u0000-\\u001f\\u007f/\\\\]+$', description: 'The file name, e.g. `receipt.png` (no `/`, `\\` or control characters).' })),
});
export type AttachmentQuery = Static<typeof AttachmentQuery>;

/** The filters of the CSV export: those of the list, without its paging (the export is every matching todo). */
export const ExportTodosQuery = Type.Object({
  completed: Type.Optional(Type.Boolean()),
  priority: Type.Optional(Priority),
});
export type ExportTodosQuery = Static<typeof ExportTodosQuery>;

/**
 * The CSV export's body (RFC 4180, `text/csv; charset=utf-8`): a string whose `contentMediaType` the public
 * document shows as the response's media type, instead of JSON.
 */
export const TodoCsv = Type.String({ $id: 'TodoCsv', contentMediaType: 'text/csv', description: 'RFC 4180 CSV: a header row, then one CRLF-terminated record per todo.' });

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
