import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../../infra/src/errors';
import { parseStageUrl, resolveTarget } from '../../../../infra/src/tools/verify/target';

/** Which REST API, region and stage `koa-apigateway verify` reads: from the stage URL, the stack's outputs, the flags. */
describe('the deployed API verify reads', () => {
  it('a stage URL (the stack’s url output, a Stage’s invokeUrl) names the API, the region and the stage', () => {
    expect(parseStageUrl('https://a1b2c3d4e5.execute-api.eu-west-3.amazonaws.com/dev')).toEqual({ restApiId: 'a1b2c3d4e5', region: 'eu-west-3', stage: 'dev' });
    expect(parseStageUrl('https://a1b2c3d4e5.execute-api.us-gov-west-1.amazonaws.com/v2/')).toEqual({ restApiId: 'a1b2c3d4e5', region: 'us-gov-west-1', stage: 'v2' });
    expect(parseStageUrl('https://a1b2c3d4e5.execute-api.cn-north-1.amazonaws.com.cn/prod')).toEqual({ restApiId: 'a1b2c3d4e5', region: 'cn-north-1', stage: 'prod' });
  });

  it('any other URL names none: a custom domain, a loopback gateway, a path under the stage, plain http', () => {
    for (const url of ['https://api.example.com/dev', 'http://127.0.0.1:3000/dev', 'https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/dev/parcels', 'http://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/dev', 'https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/']) {
      expect(parseStageUrl(url), url).toBeUndefined();
    }
  });

  it('flags win over the URL, the URL over the outputs, the outputs over the stack’s defaults', () => {
    const defaults = { stage: 'dev', region: 'us-east-1' };
    expect(resolveTarget({ url: 'https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/v1' }, defaults)).toEqual({ restApiId: 'a1b2c3d4e5', region: 'eu-west-1', stage: 'v1' });
    expect(resolveTarget({ url: 'https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/v1', stage: 'v2', region: 'eu-west-2', restApiId: 'zzzzzzzzzz' }, defaults)).toEqual({ restApiId: 'zzzzzzzzzz', region: 'eu-west-2', stage: 'v2' });
    expect(resolveTarget({ outputs: { url: 'https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/v1', restApiId: 'a1b2c3d4e5' } }, defaults)).toEqual({ restApiId: 'a1b2c3d4e5', region: 'eu-west-1', stage: 'v1' });
    // A stack behind a custom domain: the outputs' restApiId, the stack's region and stage.
    expect(resolveTarget({ outputs: { url: 'https://api.example.com/', restApiId: 'b2c3d4e5f6' } }, defaults)).toEqual({ restApiId: 'b2c3d4e5f6', region: 'us-east-1', stage: 'dev' });
    expect(resolveTarget({ url: 'https://api.example.com/', restApiId: 'b2c3d4e5f6' }, defaults)).toEqual({ restApiId: 'b2c3d4e5f6', region: 'us-east-1', stage: 'dev' });
  });

  it('refuses, naming the fix, when no API or no region is known', () => {
    expect(() => resolveTarget({ url: 'https://api.example.com/dev' }, { stage: 'dev' })).toThrow(UsageError);
    expect(() => resolveTarget({ url: 'https://api.example.com/dev' }, { stage: 'dev' })).toThrow(/is not a stage URL .*--rest-api-id "\$\(pulumi stack output restApiId\)"/);
    expect(() => resolveTarget({}, { stage: 'dev' })).toThrow(/no REST API is named/);
    expect(() => resolveTarget({ restApiId: 'a1b2c3d4e5' }, { stage: 'dev' })).toThrow(/The region of REST API a1b2c3d4e5 is unknown: give --region, or set aws:region/);
  });
});
