import Router from '@koa/router';
import { randomUUID } from 'node:crypto';
import Koa, { type Context } from 'koa';
import { addRoute, corsMiddleware, errorMiddleware, HttpError, parseOrigins, type ErrorLogger, type TokenClaims } from 'koa-apigateway/route';
import { Caller, ConditionalHeaders, ErrorBody, Health, Parcel, ParcelCreate, ParcelList, ParcelParams, ParcelPatch, ParcelQuery } from './schemas';

/** A parcel as the API shows it. */
export type ParcelRecord = {
  id: string;
  recipient: string;
  size: 'S' | 'M' | 'L';
  express: boolean;
  weightGrams: number | null;
  note: string | null;
  status: 'pending' | 'shipped' | 'delivered';
  createdAt: string;
};

/** What the app keeps per parcel: the parcel and its revision (its ETag is `"<revision>"`). */
export interface StoredParcel {
  parcel: ParcelRecord;
  revision: number;
}

/** Options of {@link createParcelsApp}: every one optional, as the descriptor's createApp passes only `userPool`. */
export interface ParcelsAppOptions {
  /** Where parcels are kept (default: a new Map). Tests pass one that fails to see an unexpected error handled. */
  store?: Map<string, StoredParcel>;
  logger?: ErrorLogger;
  /** Mount the routes that need a user pool token (default: when `USER_POOL_ID` is set, as the deployed stack sets it). */
  userPool?: boolean;
  /** Origins allowed to call from a browser (default: the `CORS_ORIGINS` environment, as the deployed stack sets it). */
  corsOrigins?: readonly string[];
  /**
   * Mount the product's errorMiddleware (default true). False: an app that forgot it, whose errors Koa's own
   * handler answers as text/plain with the message (lambda-without-error-middleware.ts: what the conformance
   * suite must flag, naming the fix).
   */
  errorMiddleware?: boolean;
}

const errors = { 400: ErrorBody, 404: ErrorBody };

/**
 * Returns a small parcel-tracking API, written as a user of the package writes theirs: the product's tests
 * use it as their subject. Each route is there for what the tests check through it:
 * - `GET /health`, public (no API key);
 * - `GET /parcels`: optional typed query parameters (an enum, a boolean, a bounded string, an integer with a default);
 * - `POST /parcels`: a validated JSON body with defaults, answering 201 with a stage-aware `Location` and an `ETag`;
 * - `GET /parcels/:id`: a UUID path parameter, 404 from the app;
 * - `PATCH /parcels/:id`: a declared optional header (`If-Match`, a list: 412 when no tag matches), a body with
 *   `minProperties` and a nullable field;
 * - `DELETE /parcels/:id`: 204 without a body;
 * - with a user pool: `GET /me` (an ID token and the API key) and `GET /courier/parcels` (an access token with the
 *   custom scope `parcels/read`, no key);
 * - CORS on the app's own responses when origins are configured.
 * Kept in memory: no side effect at import, nothing listens.
 */
export function createParcelsApp(options: ParcelsAppOptions = {}): Koa {
  const app = new Koa();
  app.silent = true;
  const store = options.store ?? new Map<string, StoredParcel>();
  const find = (id: string): StoredParcel => {
    const found = store.get(id);
    if (!found) throw new HttpError(404, `No parcel ${id}`);
    return found;
  };
  const send = (ctx: Context, stored: StoredParcel) => {
    ctx.set('ETag', `"${stored.revision}"`);
    ctx.body = stored.parcel;
  };
  const list = (query: { status?: string; express?: boolean; q?: string; limit?: number }) => {
    const matches = [...store.values()]
      .map((s) => s.parcel)
      .filter((p) => (query.status === undefined || p.status === query.status) && (query.express === undefined || p.express === query.express) && (query.q === undefined || p.recipient.includes(query.q)));
    return { items: matches.slice(0, query.limit ?? 10), total: matches.length };
  };

  const router = new Router();
  addRoute(router, { method: 'GET', path: '/health', operationId: 'health', summary: 'Health check', tags: ['health'], public: true, responses: { 200: Health } }, (ctx) => {
    ctx.body = { status: 'ok' };
  });
  addRoute(
    router,
    { method: 'GET', path: '/parcels', operationId: 'listParcels', summary: 'List parcels', tags: ['parcels'], query: ParcelQuery, responses: { 200: ParcelList, 400: ErrorBody } },
    (ctx, { query }) => {
      ctx.body = list(query);
    },
  );
  addRoute(
    router,
    { method: 'POST', path: '/parcels', operationId: 'createParcel', summary: 'Send a parcel', tags: ['parcels'], body: ParcelCreate, responses: { 201: Parcel, 400: ErrorBody } },
    (ctx, { body }) => {
      const parcel: ParcelRecord = {
        id: randomUUID(),
        recipient: body.recipient,
        size: body.size ?? 'M',
        express: body.express ?? false,
        weightGrams: body.weightGrams ?? null,
        note: body.note ?? null,
        status: 'pending',
        createdAt: new Date().toISOString(),
      };
      const stored = { parcel, revision: 1 };
      store.set(parcel.id, stored);
      ctx.status = 201;
      // Behind API Gateway the public path starts with the stage (and a custom domain's base path): use it when known.
      const publicPath = (ctx.req as { requestContext?: { path?: string } }).requestContext?.path ?? ctx.path;
      ctx.set('Location', `${publicPath.replace(/\/+$/, '')}/${parcel.id}`);
      send(ctx, stored);
    },
  );
  addRoute(
    router,
    { method: 'GET', path: '/parcels/:id', operationId: 'getParcel', summary: 'Get a parcel', tags: ['parcels'], params: ParcelParams, responses: { 200: Parcel, ...errors } },
    (ctx, { params }) => {
      send(ctx, find(params.id));
    },
  );
  addRoute(
    router,
    {
      method: 'PATCH',
      path: '/parcels/:id',
      operationId: 'updateParcel',
      summary: 'Change a parcel',
      tags: ['parcels'],
      params: ParcelParams,
      headers: ConditionalHeaders,
      body: ParcelPatch,
      responses: { 200: Parcel, ...errors, 412: ErrorBody },
    },
    (ctx, { params, headers, body }) => {
      const stored = find(params.id);
      const ifMatch = headers['if-match'];
      if (ifMatch !== undefined && ifMatch.trim() !== '*' && !ifMatch.split(',').map((tag) => tag.trim()).includes(`"${stored.revision}"`)) {
        throw new HttpError(412, `Parcel ${params.id} changed: its ETag is "${stored.revision}"`, { headers: { ETag: `"${stored.revision}"` } });
      }
      const updated = { parcel: { ...stored.parcel, ...body }, revision: stored.revision + 1 };
      store.set(params.id, updated);
      send(ctx, updated);
    },
  );
  addRoute(
    router,
    { method: 'DELETE', path: '/parcels/:id', operationId: 'deleteParcel', summary: 'Cancel a parcel', tags: ['parcels'], params: ParcelParams, responses: { 204: null, ...errors } },
    (ctx, { params }) => {
      find(params.id);
      store.delete(params.id);
      ctx.status = 204;
    },
  );
  if (options.userPool ?? Boolean(process.env.USER_POOL_ID)) {
    addRoute(
      router,
      { method: 'GET', path: '/me', operationId: 'getCaller', summary: 'Who calls (an ID token and the API key)', tags: ['account'], auth: { userPool: {}, apiKey: true }, responses: { 200: Caller, 401: ErrorBody } },
      (ctx) => {
        const claims = ctx.state.claims as TokenClaims;
        const username = claims['cognito:username'] ?? claims.username;
        const clientId = claims.aud ?? claims.client_id;
        ctx.body = {
          sub: claims.sub ?? '',
          ...(username !== undefined ? { username } : {}),
          ...(claims.email !== undefined ? { email: claims.email } : {}),
          tokenUse: claims.token_use ?? '',
          scopes: (claims.scope ?? '').split(' ').filter(Boolean),
          ...(clientId !== undefined ? { clientId } : {}),
        };
      },
    );
    addRoute(
      router,
      {
        method: 'GET',
        path: '/courier/parcels',
        operationId: 'listParcelsForCourier',
        summary: 'List parcels with an access token (scope parcels/read), no API key',
        tags: ['account'],
        auth: { userPool: { scopes: ['parcels/read'] } },
        query: ParcelQuery,
        responses: { 200: ParcelList, 400: ErrorBody, 401: ErrorBody },
      },
      (ctx, { query }) => {
        ctx.body = list(query);
      },
    );
  }

  const corsOrigins = options.corsOrigins ?? parseOrigins(process.env.CORS_ORIGINS);
  if (corsOrigins.length > 0) app.use(corsMiddleware(corsOrigins));
  if (options.errorMiddleware !== false) app.use(errorMiddleware(options.logger));
  app.use(router.routes());
  app.use(router.allowedMethods());
  return app;
}
