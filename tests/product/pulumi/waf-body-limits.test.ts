import { describe, expect, it } from 'vitest';
import { buildGatewaySpec } from '../../../infra/src/core/plan';
import { contentLengthOver } from '../../../infra/src/core/waf-body-limits';
import { SettingsError } from '../../../infra/src/errors';
import { checkWafCapacity, WAF_FIXED_WCU } from '../../../infra/src/pulumi/edge';
import { createMediaApp, NAMED_BLOB_LIMIT } from '../../support/apps/media/app';
import { runGateway } from '../../support/pulumi-harness';

const WEB_ACL = 'aws:wafv2/webAcl:WebAcl';
type Rule = { name: string; priority: number; action?: unknown; statement: Record<string, any> };

/**
 * The component under Pulumi's mocks with the media app (tests/support/apps/media), whose `PUT /blobs/{name}` declares
 * `bodyLimit` 1024: with `waf` on, the web ACL blocks a request to it whose Content-Length is past 1024 with a 413
 * in the API's error shape (docs/edge.md "Body limits at the edge").
 */
describe('KoaGateway under mocks: waf true with a route declaring bodyLimit', async () => {
  const { mocks } = await runGateway({ name: 'media', spec: buildGatewaySpec(createMediaApp()), config: { waf: 'true' } });
  const acl = mocks.ofType(WEB_ACL)[0]!.inputs as { rules: Rule[]; customResponseBodies?: unknown[] };

  it('adds one rule for the route, after the managed groups, and none for routes without a bodyLimit', () => {
    const rules = [...acl.rules].sort((a, b) => a.priority - b.priority);
    expect(rules.map((r) => r.name)).toEqual(['AWSManagedRulesAmazonIpReputationList', 'per-ip-rate-limit', 'AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet', 'body-limit-PUT-blobs-name']);
    expect(rules[4]!.priority).toBe(4);
  });

  it('blocks with a 413 whose JSON body names the limit, when METHOD, URI_PATH and the content-length header all match', () => {
    const rule = acl.rules.find((r) => r.name === 'body-limit-PUT-blobs-name')!;
    expect(rule.action).toEqual({ block: { customResponse: { responseCode: 413, customResponseBodyKey: `body-limit-${NAMED_BLOB_LIMIT}` } } });
    const none = [{ priority: 0, type: 'NONE' }];
    expect(rule.statement).toEqual({
      andStatement: {
        statements: [
          { byteMatchStatement: { fieldToMatch: { method: {} }, positionalConstraint: 'EXACTLY', searchString: 'PUT', textTransformations: none } },
          { regexMatchStatement: { fieldToMatch: { uriPath: {} }, regexString: '^/dev/blobs/[^/]+$', textTransformations: none } },
          { regexMatchStatement: { fieldToMatch: { singleHeader: { name: 'content-length' } }, regexString: contentLengthOver(NAMED_BLOB_LIMIT), textTransformations: none } },
        ],
      },
    });
    expect(acl.customResponseBodies).toEqual([{ key: 'body-limit-1024', contentType: 'APPLICATION_JSON', content: '{"message":"Request body exceeds the limit of 1024 bytes"}' }]);
  });
});

describe('KoaGateway under mocks: the same app without waf', async () => {
  const { mocks } = await runGateway({ name: 'media', spec: buildGatewaySpec(createMediaApp()) });
  it('creates no web ACL, so no body-limit rule', () => {
    expect(mocks.ofType(WEB_ACL)).toEqual([]);
  });
});

describe('checkWafCapacity: the web ACL’s WCUs at preview', () => {
  const routes = (n: number) => Array.from({ length: n }, (_, i) => ({ route: `PUT /r${i}` }));
  it('says nothing within the 1,500 WCUs WAF includes, warns past them naming waf and the fix, refuses past 5,000', () => {
    expect(checkWafCapacity(routes(1), 'p')).toEqual([]);
    expect(checkWafCapacity(routes(Math.floor((1500 - WAF_FIXED_WCU) / 8)), 'p')).toEqual([]);
    const [warning] = checkWafCapacity(routes(Math.floor((1500 - WAF_FIXED_WCU) / 8) + 1), 'p');
    expect(warning).toMatch(/^p:waf: the web ACL needs \d+ WCUs .*Fix: drop bodyLimit .*pulumi config set waf false/);
    expect(() => checkWafCapacity(routes(600), 'p')).toThrow(SettingsError);
    expect(() => checkWafCapacity(routes(600), 'p')).toThrow(/waf.*5000.*Fix:/s);
  });
});
