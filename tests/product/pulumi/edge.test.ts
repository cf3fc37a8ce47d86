import * as pulumi from '@pulumi/pulumi';
import { beforeAll, describe, expect, it } from 'vitest';
import { SettingsError } from '../../../infra/src/errors';
import { checkCertificateRegion, checkDomainRecords, checkReservedPaths, WAF_BODY_SIZE_RULE, WAF_MANAGED_RULE_GROUPS, type ZoneRecordSet } from '../../../infra/src/pulumi/edge';
import { installMocks, MOCK_DOMAIN_TARGET, type RecordedResource, type RecordingMocks } from '../../../infra/src/tools/synth/mocks';
import { resolve } from '../../support/outputs';
import { runGateway } from '../../support/pulumi-harness';
import { buildGatewaySpec } from '../../../infra/src/core/plan';
import { createPingApp } from '../../support/apps/ping/app';

const T = {
  certificate: 'aws:acm/certificate:Certificate',
  validation: 'aws:acm/certificateValidation:CertificateValidation',
  record: 'aws:route53/record:Record',
  domain: 'aws:apigateway/domainName:DomainName',
  mapping: 'aws:apigateway/basePathMapping:BasePathMapping',
  webAcl: 'aws:wafv2/webAcl:WebAcl',
  association: 'aws:wafv2/webAclAssociation:WebAclAssociation',
  logging: 'aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration',
  logGroup: 'aws:cloudwatch/logGroup:LogGroup',
  stage: 'aws:apigateway/stage:Stage',
  restApi: 'aws:apigateway/restApi:RestApi',
};
const EDGE_TYPES = [T.certificate, T.validation, T.record, T.domain, T.mapping, T.webAcl, T.association, T.logging];
const ZONE = 'Z0123456789ABCDEFGHIJ';
const CERT_ARN = 'arn:aws:acm:us-east-1:123456789012:certificate/0f0e0d0c-1111-2222-3333-444455556666';

const one = (mocks: RecordingMocks, type: string): RecordedResource => {
  const found = mocks.ofType(type);
  expect(found, type).toHaveLength(1);
  return found[0]!;
};
const named = (mocks: RecordingMocks, name: string): RecordedResource => {
  const found = mocks.resources.find((r) => r.name === name && !r.read);
  expect(found, name).toBeDefined();
  return found!;
};

describe('custom domain with hostedZoneId, and WAF', async () => {
  const { mocks, gateway } = await runGateway({ config: { domainName: 'API.Example.org', hostedZoneId: `/hostedzone/${ZONE}`, waf: 'true', wafRateLimit: '250', logRetentionDays: '30' } });

  it('issues a regional ACM certificate for the domain, validated by DNS', () => {
    expect(one(mocks, T.certificate).inputs).toEqual({ domainName: 'api.example.org', validationMethod: 'DNS' });
  });

  it("writes ACM's validation CNAME into the zone and validates the certificate with that record", () => {
    const certificate = one(mocks, T.certificate).outputs as { arn: string; domainValidationOptions: { resourceRecordName: string; resourceRecordValue: string }[] };
    const [option] = certificate.domainValidationOptions;
    const record = named(mocks, 'parcels-certificate-validation-record');
    expect(record.inputs).toMatchObject({ zoneId: ZONE, type: 'CNAME', name: option!.resourceRecordName, records: [option!.resourceRecordValue], ttl: 60, allowOverwrite: true });
    const validation = one(mocks, T.validation);
    expect(validation.inputs).toEqual({ certificateArn: certificate.arn, validationRecordFqdns: [record.outputs.fqdn] });
    expect(validation.options.dependsOn).toEqual(expect.arrayContaining(['parcels-certificate', 'parcels-certificate-validation-record']));
  });

  it('creates a REGIONAL domain with TLS 1.2 only after the certificate is validated', () => {
    const domain = one(mocks, T.domain);
    expect(domain.inputs).toEqual({
      domainName: 'api.example.org',
      endpointConfiguration: { types: 'REGIONAL' },
      securityPolicy: 'TLS_1_2',
      regionalCertificateArn: one(mocks, T.validation).outputs.certificateArn,
    });
    // The ARN comes from the CertificateValidation, not the Certificate: the domain waits for ISSUED.
    expect(domain.options.dependsOn).toContain('parcels-certificate-validation');
    expect(domain.options.dependsOn).not.toContain('parcels-certificate');
  });

  it("points an alias A record at the domain's regional name and zone", () => {
    const domain = one(mocks, T.domain);
    const alias = named(mocks, 'parcels-domain-alias');
    expect(alias.inputs).toEqual({
      zoneId: ZONE,
      name: 'api.example.org',
      type: 'A',
      aliases: [{ name: domain.outputs.regionalDomainName, zoneId: MOCK_DOMAIN_TARGET.zoneId, evaluateTargetHealth: false }],
      // The zone has no record of the name: nothing to overwrite, and nothing would be overwritten silently.
      allowOverwrite: false,
    });
    expect(alias.options.dependsOn).toContain('parcels-domain');
  });

  it('maps the whole domain (no base path) to the stage, after the stage', () => {
    const mapping = one(mocks, T.mapping);
    expect(mapping.inputs).toEqual({ restApi: 'parcels-api-id', stageName: 'dev', domainName: 'api.example.org' });
    expect(mapping.options.dependsOn).toEqual(expect.arrayContaining(['parcels-stage', 'parcels-domain', 'parcels-api']));
  });

  it('outputs the custom URL and the domain target', async () => {
    expect((await resolve(gateway.customUrl!)).value).toBe('https://api.example.org');
    expect((await resolve(gateway.domainTarget!)).value).toBe(one(mocks, T.domain).outputs.regionalDomainName);
  });

  it('creates a regional web ACL: allow by default, IP reputation, the per-IP rate rule over 5 minutes, common rule set, known bad inputs', () => {
    const acl = one(mocks, T.webAcl).inputs as { scope: string; defaultAction: unknown; rules: Record<string, unknown>[] };
    expect(acl.scope).toBe('REGIONAL');
    expect(acl.defaultAction).toEqual({ allow: {} });
    const rules = [...acl.rules].sort((a, b) => Number(a.priority) - Number(b.priority));
    expect(rules.map((r) => r.name)).toEqual([WAF_MANAGED_RULE_GROUPS[0], 'per-ip-rate-limit', WAF_MANAGED_RULE_GROUPS[1], WAF_MANAGED_RULE_GROUPS[2]]);
    expect(WAF_MANAGED_RULE_GROUPS).toEqual(['AWSManagedRulesAmazonIpReputationList', 'AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet']);
    expect(rules[1]).toMatchObject({ action: { block: {} }, statement: { rateBasedStatement: { limit: 250, aggregateKeyType: 'IP', evaluationWindowSec: 300 } } });
    for (const managed of [rules[0], rules[2], rules[3]]) {
      expect(managed).toMatchObject({ overrideAction: { none: {} }, statement: { managedRuleGroupStatement: { vendorName: 'AWS', name: managed!.name } } });
    }
    // Only the common rule set's 8 KB body rule is overridden, to count: a valid todo can be 14,467 bytes \u-escaped (docs/edge.md).
    expect((rules[2]!.statement as { managedRuleGroupStatement: Record<string, unknown> }).managedRuleGroupStatement.ruleActionOverrides).toEqual([
      { name: WAF_BODY_SIZE_RULE, actionToUse: { count: {} } },
    ]);
    expect(WAF_BODY_SIZE_RULE).toBe('SizeRestrictions_BODY');
    for (const other of [rules[0], rules[3]]) expect((other!.statement as { managedRuleGroupStatement: Record<string, unknown> }).managedRuleGroupStatement.ruleActionOverrides).toBeUndefined();
    for (const rule of rules) expect(rule.visibilityConfig).toMatchObject({ cloudwatchMetricsEnabled: true, sampledRequestsEnabled: true });
  });

  it("associates the web ACL with the stage's ARN", () => {
    const association = one(mocks, T.association);
    expect(association.inputs).toEqual({ resourceArn: one(mocks, T.stage).outputs.arn, webAclArn: one(mocks, T.webAcl).outputs.arn });
    expect(String(association.inputs.resourceArn)).toMatch(/^arn:aws:apigateway:us-east-1::\/restapis\/parcels-api-id\/stages\/dev$/);
    expect(association.options.dependsOn).toEqual(expect.arrayContaining(['parcels-stage', 'parcels-web-acl']));
  });

  it('logs WAF to an aws-waf-logs-* log group with the stack retention, the key headers redacted', async () => {
    const group = named(mocks, 'parcels-waf-logs');
    expect(group.inputs).toEqual({ namePrefix: 'aws-waf-logs-parcels-', retentionInDays: 30 });
    const logging = one(mocks, T.logging);
    expect(logging.inputs).toEqual({
      resourceArn: one(mocks, T.webAcl).outputs.arn,
      logDestinationConfigs: [group.outputs.arn],
      redactedFields: [{ singleHeader: { name: 'x-api-key' } }, { singleHeader: { name: 'authorization' } }],
    });
    expect((await resolve(gateway.webAclArn!)).value).toBe(one(mocks, T.webAcl).outputs.arn);
  });
});

describe('custom domain with certificateArn and a base path', async () => {
  const { mocks, gateway } = await runGateway({ config: { domainName: 'api.example.org', certificateArn: CERT_ARN, basePath: '/v1/' } });

  it('uses the given certificate, issues none and writes no DNS record', () => {
    expect(mocks.ofType(T.certificate)).toEqual([]);
    expect(mocks.ofType(T.validation)).toEqual([]);
    expect(mocks.ofType(T.record)).toEqual([]);
    expect(one(mocks, T.domain).inputs.regionalCertificateArn).toBe(CERT_ARN);
  });

  it('maps the stage at the base path and says where to point DNS', async () => {
    expect(one(mocks, T.mapping).inputs).toMatchObject({ basePath: 'v1', stageName: 'dev' });
    expect((await resolve(gateway.customUrl!)).value).toBe('https://api.example.org/v1');
    expect((await resolve(gateway.domainTarget!)).value).toMatch(/^d-[a-z0-9]+\.execute-api\.us-east-1\.amazonaws\.com$/);
  });

  it('creates no web ACL without waf', () => {
    expect(mocks.ofType(T.webAcl)).toEqual([]);
    expect(gateway.webAclArn).toBeUndefined();
  });
});

describe('the second stack of versions side by side (domainOwner false, basePath v2)', async () => {
  const { mocks, gateway } = await runGateway({ config: { stageName: 'v2', domainName: 'api.example.org', domainOwner: 'false', basePath: 'v2' } });

  it('reads the domain the first stack owns, creating no domain, certificate or record', () => {
    const read = mocks.resources.filter((r) => r.read && r.type === T.domain);
    expect(read).toHaveLength(1);
    expect(read[0]!.name).toBe('parcels-domain');
    for (const type of [T.domain, T.certificate, T.validation, T.record]) expect(mocks.ofType(type), type).toEqual([]);
  });

  it('maps only its own base path to its own stage, after the stage', async () => {
    const mapping = one(mocks, T.mapping);
    expect(mapping.inputs).toEqual({ restApi: 'parcels-api-id', stageName: 'v2', domainName: 'api.example.org', basePath: 'v2' });
    expect(mapping.options.dependsOn).toEqual(expect.arrayContaining(['parcels-stage', 'parcels-domain']));
    expect((await resolve(gateway.customUrl!)).value).toBe('https://api.example.org/v2');
    expect(gateway.domainTarget).toBeUndefined();
  });
});

describe('without domainName or waf', async () => {
  const { mocks, gateway } = await runGateway();

  it('creates nothing of the edge and has no edge outputs', () => {
    for (const type of EDGE_TYPES) expect(mocks.ofType(type), type).toEqual([]);
    expect(mocks.resources.filter((r) => r.read && r.type === T.domain)).toEqual([]);
    expect([gateway.customUrl, gateway.domainTarget, gateway.webAclArn]).toEqual([undefined, undefined, undefined]);
  });
});

describe("an existing DNS record for the domain's name (dnsAllowOverwrite)", () => {
  const name = 'api.example.org';
  const foreign: ZoneRecordSet = { name: 'api.example.org.', type: 'A', resourceRecords: [{ value: '203.0.113.10' }] };
  const own: ZoneRecordSet = { name: 'api.example.org.', type: 'A', aliasTarget: { dnsName: 'd-abc123xyz.execute-api.us-east-1.amazonaws.com.', hostedZoneId: 'Z1UJRXOUMOOFQ8' } };
  beforeAll(async () => {
    await installMocks();
  });

  it('none, or only records of other names: nothing to take over', () => {
    expect(checkDomainRecords([], { name }, 'us-east-1')).toEqual({ allowOverwrite: false, warnings: [] });
    expect(checkDomainRecords([{ ...foreign, name: 'www.example.org.' }, { ...foreign, name: 'x.api.example.org.' }], { name }, 'us-east-1')).toEqual({ allowOverwrite: false, warnings: [] });
  });

  it("the domain's own alias (an API Gateway regional host of the stack's region, from an earlier pulumi up): passes", () => {
    expect(checkDomainRecords([own], { name }, 'us-east-1')).toEqual({ allowOverwrite: false, warnings: [] });
  });

  it('an A record pointing elsewhere fails the preview, naming the record and the fix', () => {
    expect(() => checkDomainRecords([foreign], { name }, 'us-east-1')).toThrow(SettingsError);
    expect(() => checkDomainRecords([foreign], { name }, 'us-east-1')).toThrow(
      'Config "koa-apigateway:domainName" is "api.example.org": the hosted zone already has the A record api.example.org. (→ 203.0.113.10), which points elsewhere; ' +
        "the stack's alias record would replace it, and it replaces nothing without being told. Fix: pulumi config set dnsAllowOverwrite true to have the stack take the name over",
    );
    // An alias to another region's API Gateway domain, or to anything else, is not this domain's record.
    expect(() => checkDomainRecords([own], { name }, 'eu-west-1')).toThrow(/the A record api\.example\.org\. \(→ alias d-abc123xyz\.execute-api\.us-east-1/);
  });

  it('taken over only when dnsAllowOverwrite says so, and the preview warns which record it replaces', () => {
    expect(checkDomainRecords([foreign], { name, allowOverwrite: true }, 'us-east-1')).toEqual({
      allowOverwrite: true,
      warnings: ["dnsAllowOverwrite is true: pulumi up replaces the A record api.example.org. (→ 203.0.113.10) with an alias to this API's custom domain; clients of the name then reach this API."],
    });
  });

  it('a CNAME, or records of a routing policy, fail whatever the setting (they cannot stand beside the alias record)', () => {
    const cname: ZoneRecordSet = { name: 'api.example.org.', type: 'CNAME', resourceRecords: [{ value: 'old.example.net' }] };
    expect(() => checkDomainRecords([cname], { name, allowOverwrite: true }, 'us-east-1')).toThrow(/already has a CNAME record for it \(→ old\.example\.net\).*RFC 1034 §3\.6\.2.*Fix: delete that CNAME/);
    const weighted: ZoneRecordSet = { ...own, setIdentifier: 'blue' };
    expect(() => checkDomainRecords([weighted], { name, allowOverwrite: true }, 'us-east-1')).toThrow(/routes it with a routing policy \(A record set "blue"\).*Fix: add this API to the routing policy yourself/);
  });

  it('an AAAA record pointing elsewhere is a warning: IPv6 clients would keep reaching it', () => {
    const aaaa: ZoneRecordSet = { name: 'api.example.org.', type: 'AAAA', resourceRecords: [{ value: '2001:db8::1' }] };
    expect(checkDomainRecords([aaaa], { name }, 'us-east-1').warnings).toEqual([expect.stringMatching(/^The hosted zone has an AAAA record api\.example\.org\. \(→ 2001:db8::1\): IPv6 clients keep reaching it/)]);
  });

  it('under mocks: with dnsAllowOverwrite the alias record overwrites, and the warning reaches Pulumi', async () => {
    const warnings: string[] = [];
    const original = pulumi.log.warn;
    pulumi.log.warn = (message: string) => {
      warnings.push(message);
      return Promise.resolve();
    };
    try {
      const { mocks } = await runGateway({ config: { domainName: name, hostedZoneId: ZONE, dnsAllowOverwrite: 'true' }, dns: [foreign] });
      expect(named(mocks, 'parcels-domain-alias').inputs.allowOverwrite).toBe(true);
    } finally {
      pulumi.log.warn = original;
    }
    expect(warnings).toContainEqual(expect.stringMatching(/^dnsAllowOverwrite is true: pulumi up replaces the A record api\.example\.org\./));
  });

  it("under mocks: the stack's own record from an earlier pulumi up changes nothing (no overwrite, no warning)", async () => {
    const { mocks } = await runGateway({ config: { domainName: name, hostedZoneId: ZONE }, dns: [own], region: 'us-east-1' });
    expect(named(mocks, 'parcels-domain-alias').inputs.allowOverwrite).toBe(false);
  });
});

describe('certificateArn region', () => {
  it("accepts a certificate of the stack's region and refuses another, naming the key and the fix", () => {
    expect(checkCertificateRegion(CERT_ARN, 'us-east-1')).toBe(CERT_ARN);
    expect(() => checkCertificateRegion(CERT_ARN, 'eu-west-1')).toThrow(
      /"koa-apigateway:certificateArn" is a certificate of us-east-1, but the stack deploys to eu-west-1.*Fix: request or import the certificate in eu-west-1/,
    );
  });
});

describe('the reserved /ping and /sping (docs/apigateway-behaviour.md §1.16)', () => {
  const route = (path: string, method = 'GET') => ({ method: method as 'GET', koaPath: path, resourcePath: path });
  const captureWarnings = async (run: () => Promise<unknown>): Promise<string[]> => {
    const warnings: string[] = [];
    const original = pulumi.log.warn;
    pulumi.log.warn = (message: string) => {
      warnings.push(message);
      return Promise.resolve();
    };
    try {
      await run();
    } finally {
      pulumi.log.warn = original;
    }
    return warnings;
  };

  it('under mocks: GET /ping behind a custom domain without a base path fails the preview, naming the route, the URL and the fix', async () => {
    const spec = buildGatewaySpec(createPingApp());
    await expect(runGateway({ spec, config: { domainName: 'api.example.org', hostedZoneId: ZONE } })).rejects.toThrow(
      /^Route GET \/ping would be served at https:\/\/api\.example\.org\/ping, and API Gateway reserves \/ping and \/sping for its health check on custom domains .*Fix: rename it, e.g\. \/health\.$/,
    );
  });

  it('under mocks: GET /ping without a custom domain deploys, and the preview warns it would break behind one', async () => {
    const spec = buildGatewaySpec(createPingApp());
    const warnings = await captureWarnings(() => runGateway({ spec }));
    expect(warnings).toContainEqual(expect.stringMatching(/^Route GET \/ping: API Gateway reserves \/ping and \/sping .*would not behind a custom domain \(domainName\)\. Fix: rename it, e.g\. \/health\.$/));
  });

  it('under mocks: the parcels app (no reserved path) gets no such warning', async () => {
    const warnings = await captureWarnings(() => runGateway({}));
    expect(warnings.filter((w) => w.includes('/sping'))).toEqual([]);
  });

  it('/sping too; every method of the path is named; a base path warns; /ping/{id} and /pings are not reserved', () => {
    const domain = { name: 'api.example.org', basePath: '' };
    expect(() => checkReservedPaths([route('/sping', 'POST'), route('/sping')], domain)).toThrow(/^Routes POST \/sping, GET \/sping would be served at https:\/\/api\.example\.org\/sping/);
    expect(checkReservedPaths([route('/ping')], { ...domain, basePath: 'v1' })).toEqual([expect.stringMatching(/^Route GET \/ping is served at https:\/\/api\.example\.org\/v1\/ping; .*Fix: rename it/)]);
    expect(checkReservedPaths([route('/ping/{id}'), route('/pings'), route('/health')], domain)).toEqual([]);
  });

  it('a root-level path variable (/{name}, /{proxy+}) behind a domain without a base path: warned that /ping and /sping never reach it', () => {
    const domain = { name: 'api.example.org', basePath: '' };
    expect(checkReservedPaths([route('/{name}'), route('/{proxy+}', 'POST')], domain)).toEqual([
      expect.stringMatching(/^Routes GET \/\{name\}, POST \/\{proxy\+\} also match https:\/\/api\.example\.org\/ping and \/sping, which API Gateway answers itself/),
    ]);
    // Behind a base path, or without a domain, the variable is not at the domain's root.
    expect(checkReservedPaths([route('/{name}')], { ...domain, basePath: 'v1' })).toEqual([]);
    expect(checkReservedPaths([route('/{name}')], undefined)).toEqual([]);
    expect(checkReservedPaths([route('/{name}/items')], domain)).toEqual([]);
  });
});
