import { describe, expect, it } from 'vitest';
import { parseSettings, settingsWarnings } from '../../../infra/src/settings/parse';

const ZONE = 'Z0123456789ABCDEFGHIJ';
const CERT_ARN = 'arn:aws:acm:us-east-1:123456789012:certificate/0f0e0d0c-1111-2222-3333-444455556666';

describe('edge settings: custom domain and WAF', () => {
  it('defaults to no domain and no WAF, at 1000 requests per 5 minutes when turned on', () => {
    const s = parseSettings({});
    expect(s.domain).toBeUndefined();
    expect(s.waf).toEqual({ enabled: false, rateLimit: 1000 });
  });

  it('reads the three ways of having a domain, normalising the host, zone id and base path', () => {
    expect(parseSettings({ domainName: 'API.Example.org.', hostedZoneId: `/hostedzone/${ZONE}` }).domain).toEqual({ name: 'api.example.org', basePath: '', certificate: 'issue', hostedZoneId: ZONE, allowOverwrite: false });
    expect(parseSettings({ domainName: 'api.example.org', hostedZoneId: ZONE, dnsAllowOverwrite: 'true' }).domain).toMatchObject({ certificate: 'issue', allowOverwrite: true });
    expect(parseSettings({ domainName: 'api.example.org', certificateArn: CERT_ARN, basePath: '/v1' }).domain).toEqual({ name: 'api.example.org', basePath: 'v1', certificate: 'arn', certificateArn: CERT_ARN });
    expect(parseSettings({ domainName: 'api.example.org', domainOwner: 'false', basePath: 'v2/' }).domain).toEqual({ name: 'api.example.org', basePath: 'v2', certificate: 'existing' });
    expect(parseSettings({ waf: 'true', wafRateLimit: '10' }).waf).toEqual({ enabled: true, rateLimit: 10 });
  });

  it.each([
    ['a zone without a domain', { hostedZoneId: ZONE }, 'hostedZoneId', 'Fix: pulumi config set domainName'],
    ['a certificate without a domain', { certificateArn: CERT_ARN }, 'certificateArn', 'Fix: pulumi config set domainName'],
    ['a base path without a domain', { basePath: 'v1' }, 'basePath', 'Fix: pulumi config set domainName'],
    ['reusing a domain without naming it', { domainOwner: 'false' }, 'domainOwner', 'Fix: pulumi config set domainName'],
    ['a domain without certificate', { domainName: 'api.example.org' }, 'domainName', 'Fix: pulumi config set hostedZoneId'],
    ['both a zone and a certificate', { domainName: 'api.example.org', hostedZoneId: ZONE, certificateArn: CERT_ARN }, 'certificateArn', 'Fix: pulumi config rm certificateArn, or pulumi config rm hostedZoneId'],
    ['a reused domain with a zone', { domainName: 'api.example.org', domainOwner: 'false', hostedZoneId: ZONE }, 'hostedZoneId', 'Fix: pulumi config rm hostedZoneId'],
    // API Gateway refuses an empty-base-path mapping on a domain that has other mappings (the owner's).
    ['a reused domain without a base path', { domainName: 'api.example.org', domainOwner: 'false', basePath: '' }, 'basePath', 'Fix: pulumi config set basePath v2'],
    ['a reused domain with a base path of slashes', { domainName: 'api.example.org', domainOwner: 'false', basePath: '/' }, 'basePath', 'Fix: pulumi config set basePath v2'],
    ['a reused domain with a certificate', { domainName: 'api.example.org', domainOwner: 'false', certificateArn: CERT_ARN }, 'certificateArn', 'Fix: pulumi config rm certificateArn'],
    ['a URL for a domain', { domainName: 'https://api.example.org', hostedZoneId: ZONE }, 'domainName', 'Fix: pulumi config set domainName'],
    ['a wildcard domain', { domainName: '*.example.org', hostedZoneId: ZONE }, 'domainName', 'Fix: pulumi config set domainName'],
    ['a single-label domain', { domainName: 'localhost', hostedZoneId: ZONE }, 'domainName', 'Fix: pulumi config set domainName'],
    ['a two-segment base path', { domainName: 'api.example.org', hostedZoneId: ZONE, basePath: 'api/v1' }, 'basePath', 'Fix: pulumi config set basePath'],
    ['a malformed zone id', { domainName: 'api.example.org', hostedZoneId: 'example.org' }, 'hostedZoneId', 'Fix: pulumi config set hostedZoneId'],
    ['a certificate name instead of its ARN', { domainName: 'api.example.org', certificateArn: 'my-cert' }, 'certificateArn', 'Fix: pulumi config set certificateArn'],
    ['a rate limit below WAF minimum', { waf: 'true', wafRateLimit: '9' }, 'wafRateLimit', 'Fix: pulumi config set wafRateLimit'],
    ['a rate limit above WAF maximum', { waf: 'true', wafRateLimit: '2000000001' }, 'wafRateLimit', 'Fix: pulumi config set wafRateLimit'],
    ['waf not a boolean', { waf: 'on' }, 'waf', 'Fix: pulumi config set waf'],
    // It lets the stack overwrite the record it writes: only where it writes one (a domain of its own in hostedZoneId).
    ['dnsAllowOverwrite without a domain', { dnsAllowOverwrite: 'true' }, 'dnsAllowOverwrite', 'Fix: pulumi config rm dnsAllowOverwrite'],
    ['dnsAllowOverwrite with your own certificate (your DNS)', { domainName: 'api.example.org', certificateArn: CERT_ARN, dnsAllowOverwrite: 'true' }, 'dnsAllowOverwrite', 'Fix: pulumi config rm dnsAllowOverwrite'],
    ['dnsAllowOverwrite on a reused domain', { domainName: 'api.example.org', domainOwner: 'false', basePath: 'v2', dnsAllowOverwrite: 'true' }, 'dnsAllowOverwrite', 'Fix: pulumi config rm dnsAllowOverwrite'],
    ['dnsAllowOverwrite not a boolean', { domainName: 'api.example.org', hostedZoneId: ZONE, dnsAllowOverwrite: 'yes' }, 'dnsAllowOverwrite', 'Fix: pulumi config set dnsAllowOverwrite'],
  ])('refuses %s, naming the key and the fix', (_, raw, key, fix) => {
    const attempt = () => parseSettings(raw as Record<string, string>, {}, 'shop-api');
    expect(attempt).toThrow(`"shop-api:${key}" is ${JSON.stringify((raw as Record<string, string>)[key] ?? 'true')}`);
    expect(attempt).toThrow(fix);
  });

  it('refuses a reused domain with no basePath set at all (the default is empty)', () => {
    expect(() => parseSettings({ domainName: 'api.example.org', domainOwner: 'false' })).toThrow(/"basePath" is "".*another stack.*Fix: pulumi config set basePath v2/);
  });

  it('warns when a WAF rate limit is set but WAF is off', () => {
    expect(settingsWarnings(parseSettings({ wafRateLimit: '100' }))).toEqual([expect.stringMatching(/wafRateLimit" is set but waf is false/)]);
    expect(settingsWarnings(parseSettings({ waf: 'true', wafRateLimit: '100' }))).toEqual([]);
  });
});
