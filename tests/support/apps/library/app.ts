import Router from '@koa/router';
import Koa from 'koa';
import { errorMiddleware, type ErrorLogger, HttpError, addRoute } from 'koa-apigateway/route';
import { BookList, BookParams, Book, BranchParams, CardHeaders, ErrorBody, LibraryStatus, Loan, LoanCreate, LoanParams, SearchQuery, IsbnParams } from './schemas';

/** One book on a branch's shelves. */
interface Shelved {
  isbn: string;
  title: string;
  author: string;
  branchId: string;
  available: boolean;
}

const CATALOGUE: readonly Shelved[] = [
  { isbn: '9780141439518', title: 'Pride and Prejudice', author: 'Jane Austen', branchId: 'central', available: true },
  { isbn: '9780141441146', title: 'Persuasion', author: 'Jane Austen', branchId: 'central', available: false },
  { isbn: '9780140449136', title: 'Crime and Punishment', author: 'Fyodor Dostoevsky', branchId: 'riverside', available: true },
];

/**
 * Returns a small lending library API, written as a user of this product would write their own app:
 * the route kit of runtime/ (`addRoute`, the error middleware), plain @koa/router elsewhere.
 * It exists to prove the plan, the component, the local gateway and the OpenAPI export serve any
 * Koa app (issue 12), so it deliberately uses what the todo example does not:
 * - two path parameters (`/branches/:branchId/books/:isbn`);
 * - a required and two optional typed query parameters (`?q=&limit=&available=`);
 * - a required request header (`x-library-card`);
 * - a router with a prefix (`/v2`) that mounts another with `router.use('/catalog', ...)`;
 * - a public route (`GET /status`), a plain `router.get` without the helper, answering text/plain;
 * - a validated JSON body whose defaulted fields may be left out, at the top level and nested (`days`,
 *   `reminder.channel`), and a 204 without one.
 */
export function createLibraryApp(options: { logger?: ErrorLogger } = {}): Koa {
  const app = new Koa();
  app.silent = true;
  const books = CATALOGUE.map((b) => ({ ...b }));
  const loans = new Map<string, { branchId: string; isbn: string; card: string }>();
  let nextLoan = 1;
  const find = (branchId: string, isbn: string) => {
    const book = books.find((b) => b.branchId === branchId && b.isbn === isbn);
    if (!book) throw new HttpError(404, `No book ${isbn} at branch ${branchId}`);
    return book;
  };

  const router = new Router();
  addRoute(router, { method: 'GET', path: '/status', operationId: 'libraryStatus', public: true, responses: { 200: LibraryStatus } }, (ctx) => {
    ctx.body = { open: true, branches: new Set(books.map((b) => b.branchId)).size };
  });
  addRoute(
    router,
    { method: 'GET', path: '/branches/:branchId/books/:isbn', operationId: 'getBook', params: BookParams, responses: { 200: Book, 400: ErrorBody, 404: ErrorBody } },
    (ctx, { params }) => {
      ctx.body = find(params.branchId, params.isbn);
    },
  );
  addRoute(
    router,
    { method: 'GET', path: '/branches/:branchId/search', operationId: 'searchBooks', params: BranchParams, query: SearchQuery, responses: { 200: BookList } },
    (ctx, { params, query }) => {
      const words = query.q.toLowerCase();
      const matches = books.filter(
        (b) => b.branchId === params.branchId && `${b.title} ${b.author}`.toLowerCase().includes(words) && (query.available === undefined || b.available === query.available),
      );
      ctx.body = { items: matches.slice(0, query.limit), total: matches.length };
    },
  );
  addRoute(
    router,
    { method: 'POST', path: '/branches/:branchId/loans', operationId: 'lendBook', params: BranchParams, headers: CardHeaders, body: LoanCreate, responses: { 201: Loan, 404: ErrorBody, 409: ErrorBody } },
    (ctx, { params, headers, body }) => {
      const book = find(params.branchId, body.isbn);
      if (!book.available) throw new HttpError(409, `Book ${body.isbn} is already lent`);
      book.available = false;
      const loanId = `L${nextLoan++}`;
      loans.set(loanId, { branchId: params.branchId, isbn: body.isbn, card: headers['X-Library-Card'] });
      ctx.status = 201;
      ctx.body = { loanId, isbn: body.isbn, branchId: params.branchId, card: headers['X-Library-Card'], days: body.days, ...(body.reminder ? { reminder: body.reminder } : {}) };
    },
  );
  addRoute(
    router,
    { method: 'DELETE', path: '/branches/:branchId/loans/:loanId', operationId: 'returnBook', params: LoanParams, headers: CardHeaders, responses: { 204: null, 404: ErrorBody } },
    (ctx, { params, headers }) => {
      const loan = loans.get(params.loanId);
      if (!loan || loan.branchId !== params.branchId || loan.card !== headers['X-Library-Card']) throw new HttpError(404, `No loan ${params.loanId} on this card`);
      loans.delete(params.loanId);
      find(loan.branchId, loan.isbn).available = true;
      ctx.status = 204;
    },
  );
  // A plain route, without the helper: no schemas, a text answer.
  router.get('/branches/:branchId/hours', (ctx) => {
    ctx.type = 'text/plain';
    ctx.body = `${ctx.params.branchId}: Mon-Fri 09:00-18:00`;
  });

  // Version 2 of the catalogue: a router with a prefix that mounts another router under a path.
  const catalog = new Router();
  addRoute(catalog, { method: 'GET', path: '/books/:isbn', operationId: 'getCatalogEntry', params: IsbnParams, responses: { 200: Book, 400: ErrorBody, 404: ErrorBody } }, (ctx, { params }) => {
    const book = books.find((b) => b.isbn === params.isbn);
    if (!book) throw new HttpError(404, `No book ${params.isbn}`);
    ctx.body = book;
  });
  const v2 = new Router({ prefix: '/v2' });
  v2.use('/catalog', catalog.routes());

  app.use(errorMiddleware(options.logger));
  app.use(router.routes());
  app.use(router.allowedMethods());
  app.use(v2.routes());
  app.use(v2.allowedMethods());
  return app;
}
