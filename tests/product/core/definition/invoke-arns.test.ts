import { describe, expect, it } from 'vitest';
import { buildApi, defineApi, planApi, type ApiSettings } from '../../../../infra/src/core/build-api';
import { functionOfInvokeArn, LOCAL_INVOKE_ARN, localInvokeArn } from '../../../../infra/src/core/definition';
import type { ApiDefinition } from '../../../../infra/src/core/definition/types';
import { createLibraryApp } from '../../../support/apps/library/app';

const SETTINGS: ApiSettings = { stageName: 'dev', corsOrigins: [], userPool: undefined };
const LIBRARY = { title: 'library-api', createApp: () => createLibraryApp() };
const urisOf = (d: ApiDefinition) =>
  Object.fromEntries(Object.entries(d.paths).flatMap(([path, item]) => Object.entries(item).map(([verb, op]) => [`${verb.toUpperCase()} ${path}`, (op['x-amazon-apigateway-integration'] as { uri?: string }).uri])));

/** Each operation's integration points at its function group's function (issue 24). */
describe('invoke ARNs by function group', () => {
  it("keeps LOCAL_INVOKE_ARN for default, exactly as before, and gives every other group local-<group>", () => {
    expect(localInvokeArn('default')).toBe('arn:aws:apigateway:local:lambda:path/2015-03-31/functions/arn:aws:lambda:local:000000000000:function:local/invocations');
    expect(localInvokeArn('default')).toBe(LOCAL_INVOKE_ARN);
    expect(localInvokeArn('write')).toBe('arn:aws:apigateway:local:lambda:path/2015-03-31/functions/arn:aws:lambda:local:000000000000:function:local-write/invocations');
  });

  it('reads the function name out of any Lambda invoke ARN, and nothing out of anything else', () => {
    expect(functionOfInvokeArn(LOCAL_INVOKE_ARN)).toBe('local');
    expect(functionOfInvokeArn(localInvokeArn('write'))).toBe('local-write');
    expect(functionOfInvokeArn('arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:orders-write-fn-abc123/invocations')).toBe('orders-write-fn-abc123');
    expect(functionOfInvokeArn('arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:orders-fn:live/invocations')).toBe('orders-fn');
    expect(functionOfInvokeArn('https://example.com/x')).toBeUndefined();
  });

  it('an app without groups: every operation on LOCAL_INVOKE_ARN, or on the one invokeArn given', () => {
    const { definition } = buildApi(LIBRARY, SETTINGS);
    expect(new Set(Object.values(urisOf(definition)))).toEqual(new Set([LOCAL_INVOKE_ARN]));
    expect(new Set(Object.values(urisOf(defineApi(planApi(LIBRARY, SETTINGS), LIBRARY, SETTINGS, { invokeArn: 'arn:x' }))))).toEqual(new Set(['arn:x']));
  });

  it("groups: each operation on its group's placeholder, or on its group's ARN from invokeArns, invokeArn for the groups it does not name", () => {
    const app = { ...LIBRARY, functions: { loans: { routes: ['* /branches/:branchId/loans', '* /branches/:branchId/loans/:loanId'] }, status: { routes: ['GET /status'] } } };
    const spec = planApi(app, SETTINGS);
    const local = urisOf(defineApi(spec, app, SETTINGS));
    expect(local['POST /branches/{branchId}/loans']).toBe(localInvokeArn('loans'));
    expect(local['DELETE /branches/{branchId}/loans/{loanId}']).toBe(localInvokeArn('loans'));
    expect(local['GET /status']).toBe(localInvokeArn('status'));
    expect(local['GET /branches/{branchId}/search']).toBe(LOCAL_INVOKE_ARN);
    const deployed = urisOf(defineApi(spec, app, SETTINGS, { invokeArn: 'arn:all', invokeArns: { loans: 'arn:loans' } }));
    expect(deployed['POST /branches/{branchId}/loans']).toBe('arn:loans');
    expect(deployed['GET /status']).toBe('arn:all');
    expect(deployed['GET /branches/{branchId}/search']).toBe('arn:all');
  });
});
