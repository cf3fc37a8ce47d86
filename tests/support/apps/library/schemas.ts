import Type from 'typebox';

/**
 * The lending library's schemas: a second app, unrelated to the todo example, that proves the product
 * serves any Koa app (issue 12). Data only: this module imports nothing but TypeBox.
 */

/** A branch's slug, e.g. `central`. */
export const BranchId = Type.String({ pattern: '^[a-z][a-z0-9-]{1,30}$', description: 'The branch, e.g. central' });
/** An ISBN-13, digits only. */
export const Isbn = Type.String({ pattern: '^[0-9]{13}$', description: 'ISBN-13, digits only' });

export const BranchParams = Type.Object({ branchId: BranchId });
export const BookParams = Type.Object({ branchId: BranchId, isbn: Isbn });
export const IsbnParams = Type.Object({ isbn: Isbn });
export const LoanParams = Type.Object({ branchId: BranchId, loanId: Type.String({ pattern: '^L[0-9]+$' }) });

/**
 * `?q=` is required; `limit` (integer) is required by the schema but has a default (10), which the service fills
 * in, so a client may leave it out (the gateway does not require it); `available` (boolean) is optional.
 */
export const SearchQuery = Type.Object({
  q: Type.String({ minLength: 1, maxLength: 100 }),
  limit: Type.Integer({ minimum: 1, maximum: 50, default: 10 }),
  available: Type.Optional(Type.Boolean()),
});

/** The member's library card, sent on every lending request; declared as it is usually written (header names are case-insensitive). */
export const CardHeaders = Type.Object({ 'X-Library-Card': Type.String({ pattern: '^[0-9]{8}$' }) });

export const Book = Type.Object(
  { isbn: Isbn, title: Type.String(), author: Type.String(), branchId: BranchId, available: Type.Boolean() },
  { $id: 'Book', additionalProperties: false },
);
export const BookList = Type.Object({ items: Type.Array(Book), total: Type.Integer({ minimum: 0 }) }, { $id: 'BookList', additionalProperties: false });

/** A reminder before the loan is due: both fields have defaults, so `{}` asks for the default reminder. */
export const Reminder = Type.Object(
  { channel: Type.Enum(['email', 'sms'], { default: 'email' }), daysBefore: Type.Integer({ minimum: 1, maximum: 7, default: 2 }) },
  { additionalProperties: false },
);

/**
 * A new loan. `days` and the reminder's fields are required by the schema but have defaults, which the service
 * fills in before it validates: a client may leave them out, at the top level and nested (the gateway's model
 * must not require them: infra/src/core/plan/models.ts).
 */
export const LoanCreate = Type.Object(
  { isbn: Isbn, days: Type.Integer({ minimum: 1, maximum: 28, default: 14 }), reminder: Type.Optional(Reminder) },
  { $id: 'LoanCreate', additionalProperties: false },
);
export const Loan = Type.Object(
  { loanId: Type.String(), isbn: Isbn, branchId: BranchId, card: Type.String(), days: Type.Integer(), reminder: Type.Optional(Reminder) },
  { $id: 'Loan', additionalProperties: false },
);

export const LibraryStatus = Type.Object({ open: Type.Boolean(), branches: Type.Integer({ minimum: 0 }) }, { $id: 'LibraryStatus', additionalProperties: false });

/**
 * The route kit's error body (infra/src/route/http-error.ts: `{"message", "errors"?}`), declared on the statuses the handlers
 * answer besides success (a malformed path value's 400, an unknown book or loan's 404, a lent book's 409), so the
 * document says all the app answers: `npm run conformance` fails an undeclared status.
 */
export const ErrorBody = Type.Object(
  {
    message: Type.String(),
    errors: Type.Optional(Type.Array(Type.Object({ path: Type.String(), message: Type.String(), in: Type.Optional(Type.String()) }))),
  },
  { $id: 'ErrorBody' },
);
