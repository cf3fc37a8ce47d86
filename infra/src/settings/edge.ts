import type { DomainSettings, WafSettings } from './types';
import type { SettingKey } from './keys';
import { boolean, integer, refuse, type KeyReader } from './values';

/**
 * The edge settings (docs/edge.md): the custom domain (`domainName`, `hostedZoneId`, `certificateArn`,
 * `basePath`, `domainOwner`, `dnsAllowOverwrite`) and the WAF web ACL (`waf`, `wafRateLimit`), parsed and checked together
 * (a domain needs a certificate source; a reused domain needs a base path).
 */

/** WAF's smallest rate-based limit (AWS WAF Developer Guide, "Rate-based rule high-level settings": "The lowest limit setting allowed is 10"). */
export const WAF_MIN_RATE_LIMIT = 10;
/** WAF's largest rate-based limit (WAFv2 API RateBasedStatement.Limit: 10 to 2,000,000,000). */
export const WAF_MAX_RATE_LIMIT = 2_000_000_000;

/**
 * The custom domain and WAF settings (docs/edge.md). Refuses, naming the key and the fix: a domain
 * setting without `domainName`; a domain with neither `hostedZoneId` nor `certificateArn` (or both);
 * a stack reusing another stack's domain (`domainOwner false`) that names a zone or certificate or
 * has no base path (API Gateway refuses an empty base path on a domain with other mappings); a
 * malformed host name, zone id, certificate ARN or base path; a rate limit outside WAF's 10..2e9.
 */
export function edgeSettings(reader: KeyReader): { domain: DomainSettings | undefined; waf: WafSettings } {
  const get = (key: SettingKey) => reader.get(key);
  const waf: WafSettings = { enabled: boolean(reader, 'waf'), rateLimit: integer(reader, 'wafRateLimit', { min: WAF_MIN_RATE_LIMIT, max: WAF_MAX_RATE_LIMIT }) };
  const name = get('domainName').toLowerCase().replace(/\.$/, '');
  const hostedZoneId = get('hostedZoneId').replace(/^\/?hostedzone\//, '');
  const certificateArn = get('certificateArn');
  const basePath = get('basePath').replace(/^\/+|\/+$/g, '');
  const owner = boolean(reader, 'domainOwner');
  const allowOverwrite = boolean(reader, 'dnsAllowOverwrite');
  // It applies only where the stack writes the domain's record: a domain of its own, in hostedZoneId.
  if (allowOverwrite && (name === '' || !owner || hostedZoneId === '')) {
    refuse(reader, 'dnsAllowOverwrite', get('dnsAllowOverwrite'), 'it only applies when the stack writes the DNS record of domainName (domainName and hostedZoneId set, domainOwner true)', 'pulumi config rm dnsAllowOverwrite');
  }
  if (name === '') {
    for (const key of ['hostedZoneId', 'certificateArn', 'basePath'] as const) {
      if (get(key) !== '') refuse(reader, key, get(key), 'it only applies to a custom domain, and domainName is not set', 'pulumi config set domainName api.example.org');
    }
    if (!owner) refuse(reader, 'domainOwner', get('domainOwner'), 'false means "reuse the domain another stack owns", and domainName is not set', 'pulumi config set domainName <the other stack\'s domain>');
    return { domain: undefined, waf };
  }
  // RFC 1123 host names, at least two labels; API Gateway custom domains are public DNS names. No wildcard: one certificate, one name.
  if (name.length > 253 || !/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/.test(name)) {
    refuse(reader, 'domainName', get('domainName'), 'expected a host name such as api.example.org (letters, digits and "-" in dot-separated labels, no scheme, path or wildcard)');
  }
  if (basePath !== '' && !/^[A-Za-z0-9._~-]{1,128}$/.test(basePath)) {
    refuse(reader, 'basePath', get('basePath'), 'expected one path segment such as v1 (letters, digits, ".", "_", "~", "-"), or empty to map the whole domain');
  }
  if (hostedZoneId !== '' && !/^[A-Z0-9]{1,32}$/.test(hostedZoneId)) {
    refuse(reader, 'hostedZoneId', get('hostedZoneId'), 'expected a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ (Route 53 console, or aws route53 list-hosted-zones-by-name)');
  }
  if (certificateArn !== '' && !/^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[A-Za-z0-9-]+$/.test(certificateArn)) {
    refuse(reader, 'certificateArn', certificateArn, 'expected an ACM certificate ARN, arn:aws:acm:<region>:<account>:certificate/<id>, in the stack\'s region');
  }
  if (!owner) {
    for (const key of ['hostedZoneId', 'certificateArn'] as const) {
      if (get(key) !== '') {
        refuse(reader, key, get(key), 'with domainOwner false the domain, its certificate and its DNS record belong to the stack that owns the domain', `pulumi config rm ${key}`);
      }
    }
    // A REST custom domain with other base path mappings (the owner's at least) refuses an empty one:
    // CreateBasePathMapping answers 409 ConflictException "Only one base path mapping is allowed if the
    // base path is empty" (reported in amplify-education/serverless-domain-manager#179).
    if (basePath === '') {
      refuse(
        reader,
        'basePath',
        get('basePath'),
        'with domainOwner false another stack already maps the domain, and API Gateway refuses an empty base path on a domain with other mappings',
        'pulumi config set basePath v2 (one path segment this stack is served at; the owning stack should use its own, e.g. v1)',
      );
    }
    return { domain: { name, basePath, certificate: 'existing' }, waf };
  }
  if (hostedZoneId !== '' && certificateArn !== '') {
    refuse(
      reader,
      'certificateArn',
      certificateArn,
      'set either hostedZoneId (the stack issues the certificate and creates the DNS records) or certificateArn (your certificate, your DNS), not both', 'pulumi config rm certificateArn, or pulumi config rm hostedZoneId',
    );
  }
  if (hostedZoneId !== '') return { domain: { name, basePath, certificate: 'issue', hostedZoneId, allowOverwrite }, waf };
  if (certificateArn !== '') return { domain: { name, basePath, certificate: 'arn', certificateArn }, waf };
  return refuse(
    reader,
    'domainName',
    get('domainName'),
    'a custom domain needs a certificate', 'pulumi config set hostedZoneId <Route 53 zone of the domain> (the stack issues one), or pulumi config set certificateArn <ACM ARN> (your own), or pulumi config set domainOwner false (another stack owns the domain)',
  );
}
