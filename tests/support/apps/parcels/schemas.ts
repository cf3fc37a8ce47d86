import Type from 'typebox';

/**
 * The parcels app's schemas: what the product's tests send through the gateway and the route kit. Data only:
 * this module imports nothing but TypeBox, so the bundler ships it as JSON (infra/src/bundle/schemas.ts).
 * `$id`s become API Gateway model names.
 */

/** A parcel's id, a UUID (a `format` the gateway model carries as a pattern). */
export const ParcelId = Type.String({ format: 'uuid', description: 'The parcel id (a UUID).' });
/** The box size: an enum. */
export const Size = Type.Enum(['S', 'M', 'L'], { description: 'The box size.' });
/** Where the parcel is: an enum. */
export const Status = Type.Enum(['pending', 'shipped', 'delivered']);
const Recipient = Type.String({ minLength: 1, maxLength: 100, description: 'Who the parcel goes to.' });
const Note = Type.String({ maxLength: 500 });
const Weight = Type.Integer({ minimum: 1, maximum: 30000, description: 'Grams.' });

/** A parcel as the API answers it: formats (uuid, date-time), nullable fields, no other property. */
export const Parcel = Type.Object(
  {
    id: ParcelId,
    recipient: Recipient,
    size: Size,
    express: Type.Boolean(),
    weightGrams: Type.Union([Weight, Type.Null()]),
    note: Type.Union([Note, Type.Null()]),
    status: Status,
    createdAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'Parcel', additionalProperties: false },
);

/** A new parcel: only `recipient` is required; `size` and `express` have defaults the route kit applies. */
export const ParcelCreate = Type.Object(
  {
    recipient: Recipient,
    size: Type.Optional(Type.Enum(['S', 'M', 'L'], { default: 'M' })),
    express: Type.Optional(Type.Boolean({ default: false })),
    weightGrams: Type.Optional(Weight),
    note: Type.Optional(Note),
  },
  { $id: 'ParcelCreate', additionalProperties: false },
);

/** Changes some fields of a parcel, at least one; `note: null` clears the note. */
export const ParcelPatch = Type.Object(
  {
    recipient: Type.Optional(Recipient),
    note: Type.Optional(Type.Union([Note, Type.Null()])),
    status: Type.Optional(Status),
    express: Type.Optional(Type.Boolean()),
  },
  { $id: 'ParcelPatch', additionalProperties: false, minProperties: 1 },
);

/** The path parameters of `/parcels/:id`. */
export const ParcelParams = Type.Object({ id: ParcelId });

/** `If-Match` on a write: it applies only while the parcel still has one of the listed ETags (RFC 9110 §13.1.1). */
export const ConditionalHeaders = Type.Object({
  'if-match': Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'ETags from earlier responses, or `*`.' })),
});

/** Every parameter optional; `limit` has a default. */
export const ParcelQuery = Type.Object({
  status: Type.Optional(Status),
  express: Type.Optional(Type.Boolean()),
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Part of the recipient.' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 10 })),
});

/** A page of parcels and how many match. */
export const ParcelList = Type.Object({ items: Type.Array(Parcel), total: Type.Integer({ minimum: 0 }) }, { $id: 'ParcelList', additionalProperties: false });

/** The public health check's answer. */
export const Health = Type.Object({ status: Type.Literal('ok') }, { $id: 'Health', additionalProperties: false });

/** Who calls, read from the claims of a user pool token. */
export const Caller = Type.Object(
  {
    sub: Type.String(),
    username: Type.Optional(Type.String()),
    email: Type.Optional(Type.String()),
    tokenUse: Type.String(),
    scopes: Type.Array(Type.String()),
    clientId: Type.Optional(Type.String()),
  },
  { $id: 'Caller', additionalProperties: false },
);

/** The route kit's error body (`{"message", "errors"?}`), declared on the statuses the handlers answer besides success. */
export const ErrorBody = Type.Object(
  {
    message: Type.String(),
    errors: Type.Optional(Type.Array(Type.Object({ path: Type.String(), message: Type.String(), in: Type.Optional(Type.String()) }))),
  },
  { $id: 'ErrorBody' },
);
