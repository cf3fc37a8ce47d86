import { randomUUID } from 'node:crypto';
import Router from '@koa/router';
import Koa from 'koa';
import { Format } from 'typebox/format';
import { addRoute, errorMiddleware, HttpError, type ErrorLogger } from 'koa-apigateway/route';
import { Contact as ContactSchema, ContactCreate, ContactList, ContactParams, ContactQuery, ErrorBody, LinksUpdate, PhoneUpdate, TagUpdate, TraceHeaders } from './schemas';

/**
 * The app's own format, registered as TypeBox's guide shows (`Format.Set(name, check)`), at load, before any
 * route validates: the route kit checks it in the source and the bundle's generated validators alike.
 */
Format.Set('contact-tag', (value) => /^#[a-z]{2,12}$/.test(value));

interface Contact {
  id: string;
  name: string;
  email: string;
  homepage: string;
  createdAt: string;
}

/**
 * Returns a small address book, written as a user of this product writes their own app (the route kit,
 * plain @koa/router). Its schemas (./schemas.ts) declare every `format` TypeBox 1.x checks, so the plan,
 * the route kit, the bundle's validators and the conformance suite are seen to agree on each (issue 21).
 */
export function createFormatsApp(options: { logger?: ErrorLogger; unregisteredFormat?: boolean } = {}): Koa {
  const app = new Koa();
  app.silent = true;
  const contacts = new Map<string, Contact>();
  const router = new Router();
  addRoute(
    router,
    { method: 'POST', path: '/contacts', operationId: 'createContact', headers: TraceHeaders, body: ContactCreate, responses: { 201: ContactSchema, 400: ErrorBody } },
    (ctx, { body }) => {
      const contact: Contact = { id: randomUUID(), name: body.name, email: body.email, homepage: body.homepage, createdAt: new Date().toISOString() };
      contacts.set(contact.id, contact);
      ctx.status = 201;
      ctx.body = contact;
    },
  );
  addRoute(router, { method: 'GET', path: '/contacts', operationId: 'listContacts', query: ContactQuery, responses: { 200: ContactList, 400: ErrorBody } }, (ctx, { query }) => {
    const items = [...contacts.values()].filter((c) => c.createdAt >= new Date(query.since).toISOString());
    ctx.body = { items, total: items.length };
  });
  addRoute(router, { method: 'GET', path: '/contacts/:id', operationId: 'getContact', params: ContactParams, responses: { 200: ContactSchema, 400: ErrorBody, 404: ErrorBody } }, (ctx, { params }) => {
    const contact = contacts.get(params.id);
    if (!contact) throw new HttpError(404, `No contact ${params.id}`);
    ctx.body = contact;
  });
  addRoute(
    router,
    { method: 'PUT', path: '/contacts/:id/links', operationId: 'putContactLinks', params: ContactParams, body: LinksUpdate, responses: { 204: null, 400: ErrorBody, 404: ErrorBody } },
    (ctx, { params }) => {
      if (!contacts.has(params.id)) throw new HttpError(404, `No contact ${params.id}`);
      ctx.status = 204;
    },
  );
  addRoute(
    router,
    { method: 'PUT', path: '/contacts/:id/tag', operationId: 'putContactTag', params: ContactParams, body: TagUpdate, responses: { 204: null, 400: ErrorBody, 404: ErrorBody } },
    (ctx, { params }) => {
      if (!contacts.has(params.id)) throw new HttpError(404, `No contact ${params.id}`);
      ctx.status = 204;
    },
  );
  if (options.unregisteredFormat) {
    // A mistake for the plan to catch: `phone` is no format TypeBox knows, and nothing registers it.
    addRoute(router, { method: 'PUT', path: '/contacts/:id/phone', operationId: 'putContactPhone', params: ContactParams, body: PhoneUpdate, responses: { 204: null } }, (ctx) => {
      ctx.status = 204;
    });
  }
  app.use(errorMiddleware(options.logger));
  app.use(router.routes());
  app.use(router.allowedMethods());
  return app;
}
