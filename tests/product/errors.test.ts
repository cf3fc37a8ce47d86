import Router from '@koa/router';
import Koa from 'koa';
import { describe, expect, it } from 'vitest';
import { resolveApiKey } from '../../infra/src/local/api-key-store';
import {
  AppDescriptorError,
  ConformanceError,
  describeFailure,
  DocumentError,
  InvalidStackNameError,
  LocalStartError,
  ProjectFileError,
  RouteError,
  SettingsError,
  UnknownNamespaceError,
  UnknownSettingError,
  UnknownStackError,
  UnreachableError,
  UsageError,
  ValidatorGenerationError,
  VisibleError,
} from '../../infra/src/errors';
import { buildGatewaySpec, discoverRoutes } from '../../infra/src/core/plan';
import { ImportableSchemaError } from '../../infra/src/core/plan/importable';
import { ModelConversionError } from '../../infra/src/core/plan/models';
import { asRunError } from '../../infra/src/pulumi/run-error';

const noop = () => undefined;
function appWith(build: (router: Router) => void): Koa {
  const app = new Koa();
  const router = new Router();
  build(router);
  app.use(router.routes());
  return app;
}
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}

describe('user errors are one class, VisibleError, told apart with instanceof', () => {
  it('every user-facing error class is a VisibleError', () => {
    const errors: Error[] = [
      new SettingsError('rateLimit', '-1', 'a positive number'),
      new UnknownSettingError('rateLimt'),
      new UnknownStackError('prd', ['dev']),
      new InvalidStackNameError('../dev'),
      new UnknownNamespaceError('koa-apigatway:rateLimit', 'koa-apigateway-pulumi'),
      new DocumentError('openapi.json is not JSON'),
      new ProjectFileError('no Pulumi.yaml'),
      new AppDescriptorError('app.config.ts: no such file'),
      new UsageError('Unknown argument "--x".'),
      new UnreachableError('cannot connect to http://127.0.0.1:1/dev: refused'),
      new ConformanceError('nothing to test'),
      new LocalStartError('Port 3000 is in use'),
      new ModelConversionError('Thing', 'if', '/', 'use oneOf'),
      new ImportableSchemaError('GET /a', 'Thing', 'pattern', '/', 'refused', 'simplify it'),
      new ValidatorGenerationError('GET /a', 'no schema', 'declare one'),
    ];
    for (const err of errors) {
      expect(err, err.constructor.name).toBeInstanceOf(VisibleError);
      expect(err.name, err.constructor.name).toBe(err.constructor.name);
    }
  });

  it('a route API Gateway cannot deploy is a RouteError (a VisibleError), from discovery and from the plan', () => {
    const discovered = thrown(() => discoverRoutes(appWith((r) => r.get(/^\/re(.*)$/, noop))));
    expect(discovered).toBeInstanceOf(RouteError);
    const planned = thrown(() =>
      buildGatewaySpec(
        appWith((r) => {
          r.get('/items/:id', noop);
          r.get('/items/:id/', noop);
        }),
      ),
    );
    expect(planned).toBeInstanceOf(RouteError);
    expect(planned).toBeInstanceOf(VisibleError);
  });

  it('a bad API_KEY is a VisibleError', () => {
    expect(thrown(() => resolveApiKey({ env: 'short', dir: '/nonexistent' }))).toBeInstanceOf(VisibleError);
  });

  it('prints a user error as its message alone (one line, no stack) and an unexpected error with its stack', () => {
    const user = new SettingsError('rateLimit', '-1', 'a positive number');
    expect(describeFailure(user)).toBe(user.message);
    expect(describeFailure(user).split('\n')).toHaveLength(1);
    expect(describeFailure(new RouteError('Route GET /a cannot be deployed. Fix: x.'))).toBe('Route GET /a cannot be deployed. Fix: x.');

    const bug = new TypeError("Cannot read properties of undefined (reading 'x')");
    expect(describeFailure(bug)).toBe(bug.stack);
    expect(describeFailure(bug)).toMatch(/^TypeError: Cannot read properties.*\n\s+at /);
    // A plain Error whose text looks like a user error is still a bug: the text is not the test.
    expect(describeFailure(new Error('Route GET /a is wrong'))).toMatch(/\n\s+at /);
    expect(describeFailure('a string')).toBe('a string');
  });

  it('prints the pulumi.RunError koa-apigateway/pulumi throws for a user error as its message alone, Pulumi\'s prefix included', () => {
    const user = new SettingsError('rateLimit', '-1', 'a positive number');
    const run = asRunError(user) as Error;
    expect(run.cause).toBe(user);
    expect(describeFailure(run)).toBe(user.message);
    // What Pulumi does to an error raised inside an apply (runtime/rpc.js): the same object, its message prefixed.
    run.message = `error serializing property "x": ${run.message}`;
    expect(describeFailure(run)).toBe(run.message);
    // A bug stays itself: not wrapped, printed with its stack.
    const bug = new TypeError('x is undefined');
    expect(asRunError(bug)).toBe(bug);
  });
});
