import Router from '@koa/router';
import Koa from 'koa';
import Type, { type TSchema } from 'typebox';
import { describe, expect, it } from 'vitest';
import { addRoute } from '../../../infra/src/route';
import { buildGatewaySpec } from '../../../infra/src/core/plan';
import { parseSettings } from '../../../infra/src/settings/parse';
import { RouteError, SettingsError } from '../../../infra/src/errors';

// Issue 23 item 3: values a user writes reach the API definition inside single-quoted static mapping values
// (`'https://app.example.com'`: developer guide, "Set up data mappings" / "x-amazon-apigateway-gateway-responses.
// responseParameters object") and inside VTL (the preflight's `#set($allowed = [...])`, where `$` and `#` start
// references and directives: Velocity User Guide, "References", "Directives"). What cannot be written there is
// refused at preview, naming the setting or the route, the field and the fix.

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a refusal');
}

describe('corsOrigins: an origin is scheme://host[:port] with a DNS or IP host, nothing a mapping value or VTL would read', () => {
  for (const origin of ["https://it's.example.com", 'https://a"b.example.com', 'https://$context.example.com', 'https://#set.example.com', 'https://a b.example.com', 'https://ex\\ample.com', 'https://a;b.example.com', 'https://a.example.com:99999']) {
    it(`refuses ${JSON.stringify(origin)}, naming corsOrigins`, () => {
      for (const text of [origin, JSON.stringify([origin])]) {
        const error = thrown(() => parseSettings({ corsOrigins: text }));
        expect(error).toBeInstanceOf(SettingsError);
        expect(error.message).toContain('corsOrigins');
        expect(error.message).toMatch(/not an origin/);
      }
    });
  }
  it('keeps the origins browsers send: DNS names (punycode for others), IPv4, [IPv6], ports, and *', () => {
    const ok = ['https://app.example.com', 'http://localhost:3000', 'http://127.0.0.1:8080', 'http://[::1]:5173', 'https://xn--bcher-kva.example', '*'];
    expect(parseSettings({ corsOrigins: JSON.stringify(ok) }).corsOrigins).toEqual(ok);
  });
});

/** Returns an app with one route GET /things declaring `declaration`. */
function appWith(declaration: { headers?: TSchema; query?: TSchema; responses?: Record<string, TSchema> }): Koa {
  const app = new Koa();
  const router = new Router();
  addRoute(router, { method: 'GET', path: '/things', operationId: 'listThings', ...declaration } as never, (ctx) => {
    ctx.body = {};
  });
  app.use(router.routes());
  return app;
}

// API Gateway's mapping expressions `method.request.header.<name>` allow `^[a-zA-Z0-9._$-]+$` (developer guide,
// "Parameter mapping source reference for REST APIs in API Gateway"): RFC 9110 tokens such as `x-it's` or `x!` too are refused.
describe('header parameters: a name API Gateway can map (letters, digits, . _ $ -), or the route is refused', () => {
  for (const name of ["x-it's", 'x it', 'x-a"b', 'x-é', 'x-a:b', '', 'x-b!', 'x|y']) {
    it(`refuses ${JSON.stringify(name)}, naming the route and the header`, () => {
      const error = thrown(() => buildGatewaySpec(appWith({ headers: Type.Object({ [name]: Type.Optional(Type.String()) }) })));
      expect(error).toBeInstanceOf(RouteError);
      expect(error.message).toContain(`Route GET /things: its headers declare ${JSON.stringify(name)}`);
      expect(error.message).toMatch(/Fix: .*pulumi preview/);
    });
  }
  it('keeps the names it can map', () => {
    const spec = buildGatewaySpec(appWith({ headers: Type.Object({ 'X-Request-Id': Type.Optional(Type.String()), 'x_a.b$c': Type.Optional(Type.String()) }) }));
    expect(Object.keys(spec.methods[0]!.requestParameters)).toEqual(['method.request.header.x-request-id', 'method.request.header.x_a.b$c']);
  });
});

// The same pattern holds for `method.request.querystring.<name>` and `method.request.path.<name>` (the same reference).
describe('query parameters and path variables: names API Gateway can map, and JavaScript can carry', () => {
  for (const name of ["q'$x#y", 'a b', 'é', 'a[b]', 'x|y']) {
    it(`refuses the query parameter ${JSON.stringify(name)}, naming the route and the parameter`, () => {
      const error = thrown(() => buildGatewaySpec(appWith({ query: Type.Object({ [name]: Type.Optional(Type.String()) }) })));
      expect(error).toBeInstanceOf(RouteError);
      expect(error.message).toContain(`Route GET /things: its query declares ${JSON.stringify(name)}`);
      expect(error.message).toMatch(/Fix: .*pulumi preview/);
    });
  }
  it('keeps the query names it can map', () => {
    const spec = buildGatewaySpec(appWith({ query: Type.Object({ page_size: Type.Optional(Type.String()), 'a.b$c-d': Type.Optional(Type.String()) }) }));
    expect(Object.keys(spec.methods[0]!.requestParameters)).toEqual(['method.request.querystring.page_size', 'method.request.querystring.a.b$c-d']);
  });
  it('refuses a path variable named __proto__ (ctx.params.__proto__ sets the prototype: the value was lost)', () => {
    const app = new Koa();
    const router = new Router();
    router.get('/p/:__proto__', (ctx) => {
      ctx.body = { p: ctx.params };
    });
    app.use(router.routes());
    const error = thrown(() => buildGatewaySpec(app));
    expect(error).toBeInstanceOf(RouteError);
    expect(error.message).toContain('Route GET /p/:__proto__: its path variable "__proto__"');
    expect(error.message).toMatch(/Fix: .*pulumi preview/);
  });
});

describe('responses: a key is an HTTP status code, or the route is refused', () => {
  // (Three digits outside 100–599, e.g. 600, are refused by the import check: tests/product/core/definition/import-check.test.ts.)
  for (const key of ['x-amazon-apigateway-integration', 'default', '2XX', '99', ' 200', '2000', '__proto__']) {
    it(`refuses ${JSON.stringify(key)}, naming the route`, () => {
      const error = thrown(() => buildGatewaySpec(appWith({ responses: { [key]: Type.Object({}) } })));
      expect(error).toBeInstanceOf(RouteError);
      expect(error.message).toContain(`Route GET /things declares the response ${JSON.stringify(key)}`);
      expect(error.message).toMatch(/Fix: .*status code/);
    });
  }
});
