import Type from 'typebox';

/**
 * The address book's schemas: a fixture app whose fields declare every `format` TypeBox 1.x checks
 * (`typebox/format`), alone and with length bounds or a pattern, in a body, a query, a header and a path,
 * plus one format of its own (`contact-tag`, registered in app.ts). Data only: this module imports
 * nothing but TypeBox.
 */

export const ContactId = Type.String({ format: 'uuid' });
export const ContactParams = Type.Object({ id: ContactId });

/** A new contact: the formats a web form sends, some with length bounds, one with a pattern. */
export const ContactCreate = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 40 }),
    email: Type.String({ format: 'email', maxLength: 64 }),
    // The field of issue 21: a `uri` once dropped from the document, so the suite sent "string".
    homepage: Type.String({ format: 'uri' }),
    website: Type.Optional(Type.String({ format: 'url', maxLength: 120 })),
    avatar: Type.String({ format: 'uri-reference', minLength: 30, maxLength: 60 }),
    workEmail: Type.String({ format: 'email', pattern: '@example\\.org$' }),
    born: Type.String({ format: 'date' }),
    lastSeen: Type.String({ format: 'date-time' }),
    wakeUp: Type.String({ format: 'time' }),
    host: Type.String({ format: 'hostname', maxLength: 30 }),
    ipv4: Type.String({ format: 'ipv4' }),
    ipv6: Type.String({ format: 'ipv6' }),
    // The app's own format: optional here, so a request without it is still valid.
    tag: Type.Optional(Type.String({ format: 'contact-tag' })),
  },
  { $id: 'ContactCreate', additionalProperties: false },
);

export const Contact = Type.Object(
  {
    id: ContactId,
    name: Type.String(),
    email: Type.String({ format: 'email' }),
    homepage: Type.String({ format: 'uri' }),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'Contact', additionalProperties: false },
);
export const ContactList = Type.Object({ items: Type.Array(Contact), total: Type.Integer({ minimum: 0 }) }, { $id: 'ContactList', additionalProperties: false });

/** `?since=` (a date-time) is required; `day` (a date) is optional. */
export const ContactQuery = Type.Object({ since: Type.String({ format: 'date-time' }), day: Type.Optional(Type.String({ format: 'date' })) });

/** The caller's request id, a UUID. */
export const TraceHeaders = Type.Object({ 'x-request-id': Type.String({ format: 'uuid' }) });

/** A contact's machine-readable links: the remaining formats, nested one level. */
export const LinksUpdate = Type.Object(
  {
    pointer: Type.String({ format: 'json-pointer' }),
    fragment: Type.String({ format: 'json-pointer-uri-fragment' }),
    relative: Type.String({ format: 'relative-json-pointer' }),
    filter: Type.String({ format: 'regex', maxLength: 20 }),
    template: Type.String({ format: 'uri-template' }),
    every: Type.String({ format: 'duration' }),
    profile: Type.Object({ iri: Type.String({ format: 'iri' }), iriRef: Type.String({ format: 'iri-reference' }) }, { additionalProperties: false }),
    idnEmail: Type.String({ format: 'idn-email' }),
    idnHost: Type.String({ format: 'idn-hostname' }),
  },
  { $id: 'LinksUpdate', additionalProperties: false },
);

/** A tag alone: required, in the app's own format, for which the conformance suite has no value generator. */
export const TagUpdate = Type.Object({ tag: Type.String({ format: 'contact-tag' }) }, { $id: 'TagUpdate', additionalProperties: false });

/** A phone number in a format nobody registers: the plan must refuse it (unregistered.config.ts). */
export const PhoneUpdate = Type.Object({ phone: Type.String({ format: 'phone' }) }, { $id: 'PhoneUpdate' });

/** The route kit's error body (`{"message", "errors"?}`), declared where the handlers answer 400 or 404. */
export const ErrorBody = Type.Object(
  {
    message: Type.String(),
    errors: Type.Optional(Type.Array(Type.Object({ path: Type.String(), message: Type.String(), in: Type.Optional(Type.String()) }))),
  },
  { $id: 'ErrorBody' },
);
