import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { DomainSettings, GatewaySettings, WafSettings } from '../settings/types';
import { RouteError, SettingsError, VisibleError } from '../errors';
import type { MethodSpec } from '../core/plan/types';
import { transform, type KoaGatewayTransforms } from './transform';
import { BODY_LIMIT_RULE_WCU, bodyLimitRules, type BodyLimitRule } from '../core/waf-body-limits';

/**
 * The edge of the stage (docs/edge.md): a custom domain with its certificate and base-path mapping,
 * and a WAFv2 web ACL. Kept apart from component.ts so the component only calls in here.
 */

/** What the edge adds to the component's outputs; each undefined when its feature is off. */
export interface EdgeOutputs {
  /** `https://<domainName>[/<basePath>]`: the stage through the custom domain (no stage segment). */
  customUrl?: pulumi.Output<string>;
  /** The API Gateway host the domain's DNS record must point at (`d-xxxx.execute-api.<region>.amazonaws.com`); unknown for a reused domain. */
  domainTarget?: pulumi.Output<string>;
  /** The web ACL's ARN. */
  webAclArn?: pulumi.Output<string>;
  /** The web ACL's log group (named `aws-waf-logs-...`, as WAF requires). */
  wafLogGroupName?: pulumi.Output<string>;
}

/** TLS policy of the domain: TLS 1.2 minimum (API Gateway DomainName securityPolicy `TLS_1_2`). */
export const DOMAIN_SECURITY_POLICY = 'TLS_1_2';

/** WAF's rate-based evaluation window in seconds: 5 minutes, WAF's default ("Rate-based rule high-level settings"). */
export const WAF_EVALUATION_WINDOW_SECONDS = 300;

/**
 * The AWS managed rule groups the web ACL runs, in priority order after the rate rule, by their WAF
 * names ("AWS Managed Rules rule groups list", AWS WAF Developer Guide). Their actions are kept
 * (override `none`): a matching request is blocked.
 */
/**
 * The common rule set's body size rule: blocks bodies over 8 KB (AWS WAF Developer Guide, "Baseline rule
 * groups", Core rule set: SizeRestrictions_BODY "over 8 KB (8,192 bytes)"). Overridden to count: a body
 * the example API accepts is at most 4,867 bytes as UTF-8 JSON but 14,467 bytes when its text is \u-escaped
 * (Python's json.dumps does so by default), and the gateway's own model validation (maxLength) already
 * refuses oversized fields before the function runs. The rule still labels and counts (its metric).
 */
export const WAF_BODY_SIZE_RULE = 'SizeRestrictions_BODY';

export const WAF_MANAGED_RULE_GROUPS = ['AWSManagedRulesAmazonIpReputationList', 'AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet'] as const;

/**
 * WCUs of the web ACL's fixed rules: the three managed groups' capacities (AWS WAF Developer Guide, "AWS Managed
 * Rules rule groups list": IP reputation list 25, core rule set 700, known bad inputs 200) and the rate rule (2:
 * "Rate-based rule statement").
 */
export const WAF_FIXED_WCU = 25 + 700 + 200 + 2;

/** The WCUs a web ACL runs without extra charge, and the most it may use (AWS WAF Developer Guide, "Web ACL capacity units (WCUs) in AWS WAF"; AWS WAF pricing). */
export const WAF_INCLUDED_WCU = 1500;
/** The most WCUs a web ACL may use: WAF refuses a larger one (AWS WAF Developer Guide, "Web ACL capacity units (WCUs) in AWS WAF"). */
export const WAF_MAX_WCU = 5000;

/**
 * Checks the web ACL's capacity with `rules` (the routes' body-limit rules, {@link BODY_LIMIT_RULE_WCU} each) at
 * preview. Throws a SettingsError naming `waf`, the routes' count and the fix past {@link WAF_MAX_WCU} (WAF refuses
 * such a web ACL at `pulumi up`); returns a warning (for `pulumi.log.warn`) past {@link WAF_INCLUDED_WCU} (each
 * further 500 WCUs is billed per million requests), else none.
 */
export function checkWafCapacity(rules: readonly Pick<BodyLimitRule, 'route'>[], project: string = pulumi.getProject()): string[] {
  const total = WAF_FIXED_WCU + rules.length * BODY_LIMIT_RULE_WCU;
  const fix = 'Fix: drop bodyLimit from routes that do not need a limit under 10 MB before the function (the function still enforces the 1 MiB default), or pulumi config set waf false';
  if (total > WAF_MAX_WCU) {
    throw new SettingsError(
      'waf',
      'true',
      `the web ACL would need ${total} WCUs (${WAF_FIXED_WCU} for its fixed rules, ${BODY_LIMIT_RULE_WCU} for each of the ${rules.length} routes with a bodyLimit under 10 MB), past WAF's maximum of ${WAF_MAX_WCU}`,
      fix,
      project,
    );
  }
  if (total > WAF_INCLUDED_WCU) {
    return [
      `${project}:waf: the web ACL needs ${total} WCUs (${rules.length} body-limit rules of ${BODY_LIMIT_RULE_WCU} WCUs each, plus ${WAF_FIXED_WCU}), past the ${WAF_INCLUDED_WCU} WAF includes: AWS bills each further 500 WCUs per million requests (AWS WAF pricing). ${fix}.`,
    ];
  }
  return [];
}

/** The name of the web ACL's per-IP rate rule (the one the local gateway emulates). */
export const WAF_RATE_RULE_NAME = 'per-ip-rate-limit';

/** Request headers WAF logs redact: the API key and any bearer token never reach CloudWatch. */
export const WAF_REDACTED_HEADERS = ['x-api-key', 'authorization'] as const;

/**
 * The paths API Gateway keeps for its own health check on custom domains: "The /ping and /sping paths are reserved
 * for the service health check. Use of these for API root-level resources with custom domains will fail to produce
 * the expected result." (Amazon API Gateway Developer Guide, "Amazon API Gateway important notes for REST APIs",
 * api-gateway-known-issues; docs/apigateway-behaviour.md §1.16).
 */
export const RESERVED_DOMAIN_PATHS = ['/ping', '/sping'] as const;

/**
 * Checks the methods whose resource is a reserved health-check path ({@link RESERVED_DOMAIN_PATHS}) against the
 * stack's custom domain, at preview. Throws a RouteError, naming the routes, the URL and the fix (rename, e.g.
 * `/health`), when the domain maps the stage without a base path: the route's URL on the domain is then exactly
 * `https://<domain>/ping`. Returns warnings (strings for `pulumi.log.warn`) otherwise: with a base path (the
 * request path is `/<basePath>/ping`; whether that escapes the reservation is UNCONFIRMED, the note speaks of
 * "API root-level resources"), and without a domain (the route works at the stage URL, but would not behind one).
 */
export function checkReservedPaths(methods: readonly Pick<MethodSpec, 'method' | 'koaPath' | 'resourcePath'>[], domain: Pick<DomainSettings, 'name' | 'basePath'> | undefined): string[] {
  const warnings: string[] = [];
  for (const reserved of RESERVED_DOMAIN_PATHS) {
    const routes = methods.filter((m) => m.resourcePath === reserved).map((m) => `${m.method} ${m.koaPath}`);
    if (routes.length === 0) continue;
    const subject = `${routes.length > 1 ? 'Routes' : 'Route'} ${routes.join(', ')}`;
    const note = `API Gateway reserves ${RESERVED_DOMAIN_PATHS.join(' and ')} for its health check on custom domains (AWS "Amazon API Gateway important notes for REST APIs")`;
    const fix = 'Fix: rename it, e.g. /health.';
    if (domain && domain.basePath === '') {
      throw new RouteError(`${subject} would be served at https://${domain.name}${reserved}, and ${note}: requests to it there do not reach the API. ${fix}`);
    }
    if (domain) {
      warnings.push(`${subject} is served at https://${domain.name}/${domain.basePath}${reserved}; ${note}, for "API root-level resources", and whether a base path keeps it clear is not documented. ${fix}`);
    } else {
      warnings.push(`${subject}: ${note}; it works at the stage URL, but would not behind a custom domain (domainName). ${fix}`);
    }
  }
  // A root-level variable resource (`/{name}`, `/{proxy+}`) matches `/ping` and `/sping` too: behind a domain mapped
  // without a base path, requests to those two never reach it. It serves every other name, so a warning, not a refusal.
  const variables = methods.filter((m) => /^\/\{[^/{}]+\}$/.test(m.resourcePath)).map((m) => `${m.method} ${m.koaPath}`);
  if (domain && domain.basePath === '' && variables.length > 0) {
    warnings.push(
      `${variables.length > 1 ? 'Routes' : 'Route'} ${variables.join(', ')} also match https://${domain.name}/ping and /sping, which API Gateway answers itself for its health check on custom domains (AWS "Amazon API Gateway important notes for REST APIs"): those two names never reach ${variables.length > 1 ? 'them' : 'it'}. Fix: map the API under a base path (basePath), or accept that these names are taken.`,
    );
  }
  return warnings;
}

/** The resources the edge hangs on. */
export interface EdgeTarget {
  api: aws.apigateway.RestApi;
  stage: aws.apigateway.Stage;
  /** The deployed methods (GatewaySpec methods): their declared `bodyLimit`s become web ACL rules (createWebAcl). */
  methods?: readonly Pick<MethodSpec, 'method' | 'resourcePath' | 'bodyLimit'>[];
}

/**
 * Creates the custom domain (when `settings.domain` is set) and the web ACL (when `settings.waf.enabled`)
 * for `target`'s stage, as children of `parent`. Throws at preview when `certificateArn` is in another
 * region than the stack (a REGIONAL domain needs a certificate of its own region). `transforms` adjusts the
 * domain and the web ACL (KoaGatewayArgs.transform).
 */
export function createEdge(parent: pulumi.Resource, name: string, settings: GatewaySettings, target: EdgeTarget, transforms: Pick<KoaGatewayTransforms, 'domainName' | 'webAcl'> = {}): EdgeOutputs {
  return {
    ...(settings.domain ? createCustomDomain(parent, name, settings.domain, target, transforms) : {}),
    ...(settings.waf.enabled
      ? createWebAcl(parent, name, settings.waf, settings.logRetentionDays, target.stage, transforms, bodyLimitRules(target.methods ?? [], settings.stageName, settings.domain))
      : {}),
  };
}

/**
 * A REGIONAL custom domain with a TLS 1.2 policy, and the stage mapped on it at `basePath`
 * (API Gateway Developer Guide, "Set up a Regional custom domain name in API Gateway": the certificate
 * must be in the API's region, and a DNS record (alias A) must point the name at the regional domain).
 *
 * - `issue`: an ACM certificate validated by DNS (its CNAME in `hostedZoneId`), the domain created
 *   only once the certificate is ISSUED (it takes the CertificateValidation's ARN), and an alias A
 *   record to the domain's regional name and zone.
 * - `arn`: the given certificate; no DNS record (output `domainTarget` says where to point it).
 * - `existing`: the domain of another stack (`domainOwner false`), read at preview (a missing domain
 *   fails there); only the mapping is created.
 * The mapping takes the stage's name as input and depends on the stage: it is created after it.
 */
export function createCustomDomain(parent: pulumi.Resource, name: string, domain: DomainSettings, target: EdgeTarget, transforms: Pick<KoaGatewayTransforms, 'domainName'> = {}): EdgeOutputs {
  const opts = { parent };
  let domainName: pulumi.Output<string>;
  let domainTarget: pulumi.Output<string> | undefined;
  if (domain.certificate === 'existing') {
    // A read, done at preview too: the owning stack must have created the domain first.
    const existing = aws.apigateway.DomainName.get(`${name}-domain`, domain.name, undefined, opts);
    domainName = existing.domainName;
  } else {
    const certificateArn = domain.certificate === 'issue' ? issueCertificate(parent, name, domain) : pulumi.output(checkCertificateRegion(domain.certificateArn));
    const apiDomain = new aws.apigateway.DomainName(
      ...transform(
        transforms.domainName,
        `${name}-domain`,
        {
          domainName: domain.name,
          regionalCertificateArn: certificateArn,
          endpointConfiguration: { types: 'REGIONAL' },
          securityPolicy: DOMAIN_SECURITY_POLICY,
        },
        { ...opts },
      ),
    );
    if (domain.certificate === 'issue') {
      // The zone's records of the name, read at preview (a list, empty when there are none): one that points
      // elsewhere fails the preview unless the user lets the stack take it over (checkDomainRecords).
      const existing = aws.route53.getRecordsOutput({ zoneId: domain.hostedZoneId, nameRegex: `^${domain.name.replaceAll('.', '\\.')}\\.?$` }, { parent });
      const allowOverwrite = existing.resourceRecordSets.apply((sets) => {
        const checked = checkDomainRecords(sets, domain, aws.config.region);
        for (const warning of checked.warnings) pulumi.log.warn(warning, parent);
        return checked.allowOverwrite;
      });
      new aws.route53.Record(
        `${name}-domain-alias`,
        {
          zoneId: domain.hostedZoneId,
          name: domain.name,
          type: 'A',
          aliases: [{ name: apiDomain.regionalDomainName, zoneId: apiDomain.regionalZoneId, evaluateTargetHealth: false }],
          allowOverwrite,
        },
        opts,
      );
    }
    domainName = apiDomain.domainName;
    domainTarget = apiDomain.regionalDomainName;
  }
  new aws.apigateway.BasePathMapping(
    `${name}-base-path-mapping`,
    {
      restApi: target.api.id,
      stageName: target.stage.stageName,
      domainName,
      // Omitted, not '': the empty base path ("(none)") maps every path of the domain to the stage.
      ...(domain.basePath !== '' ? { basePath: domain.basePath } : {}),
    },
    { parent, dependsOn: [target.stage] },
  );
  const customUrl = pulumi.interpolate`https://${domainName}${domain.basePath === '' ? '' : `/${domain.basePath}`}`;
  return { customUrl, ...(domainTarget ? { domainTarget } : {}) };
}

/**
 * A regional ACM certificate for the domain, validated by DNS: the validation CNAME ACM asks for, in
 * the hosted zone, and a CertificateValidation that completes only when ACM reports the certificate
 * ISSUED. Returns the validation's certificate ARN, so whatever takes it waits for the validation.
 */
function issueCertificate(parent: pulumi.Resource, name: string, domain: Extract<DomainSettings, { certificate: 'issue' }>): pulumi.Output<string> {
  const certificate = new aws.acm.Certificate(`${name}-certificate`, { domainName: domain.name, validationMethod: 'DNS' }, { parent });
  // One domain name, one validation option (the provider's documented single-record pattern).
  const option = certificate.domainValidationOptions.apply((options) => {
    const found = options.find((o) => o.domainName === domain.name) ?? options[0];
    if (!found) throw new Error(`ACM returned no DNS validation record for ${domain.name}.`);
    return found;
  });
  const record = new aws.route53.Record(
    `${name}-certificate-validation-record`,
    {
      zoneId: domain.hostedZoneId,
      name: option.resourceRecordName,
      type: option.resourceRecordType,
      records: [option.resourceRecordValue],
      ttl: 60,
      // ACM's validation CNAME, not the domain's record: its name and value are ACM's for this name in this account,
      // so another certificate for the name (a re-issue, an earlier stack's) wrote the very same record, and writing it
      // again changes nothing the domain serves (the provider's documented certificate-validation pattern sets it too).
      // The domain's own record is never overwritten silently: checkDomainRecords.
      allowOverwrite: true,
    },
    { parent },
  );
  const validation = new aws.acm.CertificateValidation(
    `${name}-certificate-validation`,
    { certificateArn: certificate.arn, validationRecordFqdns: [record.fqdn] },
    { parent },
  );
  return validation.certificateArn;
}

/** One record set of a hosted zone, as Route 53 lists it (ListResourceRecordSets; `aws.route53.getRecords`). */
export interface ZoneRecordSet {
  /** Fully qualified, with its final dot: `api.example.org.`. */
  name: string;
  type: string;
  /** Set for a record of a routing policy (weighted, latency, failover, ...). */
  setIdentifier?: string;
  aliasTarget?: { dnsName?: string; hostedZoneId?: string };
  resourceRecords?: Array<{ value: string }>;
}

/**
 * Decides what the stack does with the records its hosted zone already has for the custom domain's name, before
 * it writes its alias A record there (the Route 53 Record's `allowOverwrite`: "Allow creation of this record to
 * overwrite an existing record, if any", false by default in the provider):
 *
 * - none, or this domain's own alias (an A alias to an API Gateway regional host of the stack's region,
 *   `d-….execute-api.<region>.amazonaws.com`: the stack's record from an earlier `pulumi up`; no other API Gateway
 *   domain can hold the name in the region): nothing to decide;
 * - an A record that points elsewhere (addresses, another alias): refused with the fix, unless `dnsAllowOverwrite`
 *   is true; then taken over, and the returned warning says which record the preview replaces;
 * - a CNAME: refused whatever the setting. A CNAME excludes every other record of its name ("If a CNAME RR is present
 *   at a node, no other data should be present", RFC 1034 §3.6.2), so Route 53 refuses the A record beside it;
 * - records of a routing policy (a `setIdentifier`: weighted, latency, failover...): refused, the stack writes one
 *   simple record and cannot join them; the fix is to write the record yourself (the certificateArn recipe);
 * - an AAAA record pointing elsewhere: a warning (IPv6 clients would still reach it; the stack writes no AAAA).
 *
 * Throws a SettingsError naming `domainName`, the record and the fix. `region`: the stack's.
 */
export function checkDomainRecords(
  sets: readonly ZoneRecordSet[],
  domain: { name: string; allowOverwrite?: boolean },
  region: string | undefined,
): { allowOverwrite: boolean; warnings: string[] } {
  const fqdn = `${domain.name}.`;
  const ofName = sets.filter((r) => r.name.toLowerCase() === fqdn || r.name.toLowerCase() === domain.name);
  const target = (r: ZoneRecordSet) => (r.aliasTarget?.dnsName ? `alias ${r.aliasTarget.dnsName}` : (r.resourceRecords ?? []).map((v) => v.value).join(', ') || 'no value');
  const ownHost = new RegExp(`^d-[a-z0-9]+\\.execute-api\\.${region ?? '[a-z0-9-]+'}\\.amazonaws\\.com\\.?$`, 'i');
  const isOwn = (r: ZoneRecordSet) => r.aliasTarget?.dnsName !== undefined && ownHost.test(r.aliasTarget.dnsName);
  const refuse = (reason: string, fix: string): never => {
    throw new SettingsError('domainName', domain.name, reason, fix, pulumi.getProject());
  };
  const manual = 'or write the record yourself: pulumi config rm hostedZoneId, pulumi config set certificateArn <an ACM certificate for the name>, then point the record at the domainTarget output';
  const cname = ofName.find((r) => r.type === 'CNAME');
  if (cname) {
    refuse(
      `the hosted zone already has a CNAME record for it (→ ${target(cname)}), and a CNAME cannot share its name with the alias A record the stack writes (RFC 1034 §3.6.2), so pulumi up would fail`,
      `delete that CNAME (Route 53 console, or aws route53 change-resource-record-sets) if the name should serve this API, or choose another domainName, ${manual}`,
    );
  }
  const routed = ofName.find((r) => (r.type === 'A' || r.type === 'AAAA') && r.setIdentifier);
  if (routed) {
    refuse(
      `the hosted zone routes it with a routing policy (${routed.type} record set "${routed.setIdentifier}"), which the one simple alias record the stack writes cannot join`,
      `add this API to the routing policy yourself: ${manual.replace(/^or /, '')}`,
    );
  }
  const warnings: string[] = [];
  const foreignA = ofName.filter((r) => r.type === 'A' && !isOwn(r));
  if (foreignA.length > 0) {
    const record = `the A record ${fqdn} (→ ${foreignA.map(target).join('; ')})`;
    if (!domain.allowOverwrite) {
      refuse(
        `the hosted zone already has ${record}, which points elsewhere; the stack's alias record would replace it, and it replaces nothing without being told`,
        `pulumi config set dnsAllowOverwrite true to have the stack take the name over (it then serves this API), or delete the record, or choose another domainName`,
      );
    }
    warnings.push(`dnsAllowOverwrite is true: pulumi up replaces ${record} with an alias to this API's custom domain; clients of the name then reach this API.`);
  }
  for (const r of ofName.filter((x) => x.type === 'AAAA' && !isOwn(x))) {
    warnings.push(`The hosted zone has an AAAA record ${fqdn} (→ ${target(r)}): IPv6 clients keep reaching it, as the stack writes only an A record for this API. Delete it if the name should serve this API only.`);
  }
  return { allowOverwrite: domain.allowOverwrite === true, warnings };
}

/** Returns the ARN when its region is the stack's; throws naming certificateArn and the fix otherwise. */
export function checkCertificateRegion(arn: string, region: string | undefined = aws.config.region): string {
  const certificateRegion = arn.split(':')[3];
  if (region && certificateRegion !== region) {
    throw new VisibleError(
      `Config "${pulumi.getProject()}:certificateArn" is a certificate of ${certificateRegion}, but the stack deploys to ${region}: a REGIONAL custom domain needs an ACM certificate of its own region. ` +
        `Fix: request or import the certificate in ${region} and pulumi config set certificateArn <its ARN>, or pulumi config rm certificateArn and pulumi config set hostedZoneId <zone> to have the stack issue one.`,
    );
  }
  return arn;
}

/**
 * A regional WAFv2 web ACL on the stage: allow by default; the AWS managed IP reputation list, the
 * per-IP rate rule (`rateLimit` requests per 5 minutes, then WAF's block: 403), the common rule set
 * (its 8 KB body rule counting only: WAF_BODY_SIZE_RULE) and known bad inputs. Logged to a CloudWatch log group named `aws-waf-logs-*` (WAF refuses other
 * names: "Sending web ACL traffic logs to an Amazon CloudWatch Logs log group"), with the stack's
 * retention and the key headers redacted. The association takes the stage's ARN, so it follows the stage.
 * `bodyLimits` (the routes' declared `bodyLimit`s under 10 MB: infra/src/core/waf-body-limits.ts) each add a rule after
 * those, priority 4 on, blocking with a 413 in the API's error shape ({@link bodyLimitRule}); their capacity is
 * checked first ({@link checkWafCapacity}).
 */
export function createWebAcl(
  parent: pulumi.Resource,
  name: string,
  waf: WafSettings,
  logRetentionDays: number,
  stage: aws.apigateway.Stage,
  transforms: Pick<KoaGatewayTransforms, 'webAcl'> = {},
  bodyLimits: readonly BodyLimitRule[] = [],
): EdgeOutputs {
  for (const warning of checkWafCapacity(bodyLimits)) pulumi.log.warn(warning, parent);
  const metric = (rule: string) => `${name}-${pulumi.getStack()}-${rule}`.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 255);
  const visibility = (rule: string) => ({ cloudwatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName: metric(rule) });
  const managed = (group: string, priority: number, countOnly: string[] = []) => ({
    name: group,
    priority,
    overrideAction: { none: {} },
    statement: {
      managedRuleGroupStatement: {
        vendorName: 'AWS',
        name: group,
        ...(countOnly.length > 0 ? { ruleActionOverrides: countOnly.map((rule) => ({ name: rule, actionToUse: { count: {} } })) } : {}),
      },
    },
    visibilityConfig: visibility(group),
  });
  const [ipReputation, commonRuleSet, knownBadInputs] = WAF_MANAGED_RULE_GROUPS;
  const webAcl = new aws.wafv2.WebAcl(
    ...transform(
      transforms.webAcl,
      `${name}-web-acl`,
      {
        namePrefix: `${name}-`,
        description: `${name}: AWS managed rules and ${waf.rateLimit} requests per 5 minutes per IP`,
        scope: 'REGIONAL',
        defaultAction: { allow: {} },
        rules: [
          managed(ipReputation, 0),
          {
            name: WAF_RATE_RULE_NAME,
            priority: 1,
            action: { block: {} },
            statement: { rateBasedStatement: { limit: waf.rateLimit, aggregateKeyType: 'IP', evaluationWindowSec: WAF_EVALUATION_WINDOW_SECONDS } },
            visibilityConfig: visibility(WAF_RATE_RULE_NAME),
          },
          managed(commonRuleSet, 2, [WAF_BODY_SIZE_RULE]),
          managed(knownBadInputs, 3),
          ...bodyLimits.map((rule, i) => bodyLimitRule(rule, 4 + i, visibility(rule.name))),
        ],
        ...(bodyLimits.length > 0 ? { customResponseBodies: bodyLimitResponseBodies(bodyLimits) } : {}),
        visibilityConfig: visibility('web-acl'),
      },
      { parent },
    ),
  );
  new aws.wafv2.WebAclAssociation(`${name}-web-acl-association`, { resourceArn: stage.arn, webAclArn: webAcl.arn }, { parent });
  const logGroup = new aws.cloudwatch.LogGroup(`${name}-waf-logs`, { namePrefix: `aws-waf-logs-${name}-`, retentionInDays: logRetentionDays }, { parent });
  new aws.wafv2.WebAclLoggingConfiguration(
    `${name}-web-acl-logging`,
    {
      resourceArn: webAcl.arn,
      logDestinationConfigs: [logGroup.arn],
      redactedFields: WAF_REDACTED_HEADERS.map((header) => ({ singleHeader: { name: header } })),
    },
    { parent },
  );
  return { webAclArn: webAcl.arn, wafLogGroupName: logGroup.name };
}

/** The key of the custom response body of a 413 for `limit` bytes (one per distinct limit; WAF keys match `^[\w\-]+$`). */
export function bodyLimitResponseKey(limit: number): string {
  return `body-limit-${limit}`;
}

/**
 * The web ACL's custom response bodies of `rules`: one per distinct limit, JSON (`contentType APPLICATION_JSON`, which
 * WAF sends as `Content-Type: application/json`), the API's error shape naming the limit (AWS WAF Developer Guide,
 * "Custom responses for Block actions": bodies are defined in the web ACL and referenced by key).
 */
export function bodyLimitResponseBodies(rules: readonly BodyLimitRule[]): aws.types.input.wafv2.WebAclCustomResponseBody[] {
  const byKey = new Map(rules.map((r) => [bodyLimitResponseKey(r.limit), r.body]));
  return [...byKey].map(([key, content]) => ({ key, content, contentType: 'APPLICATION_JSON' }));
}

/**
 * One route's body-limit rule as WAF takes it: block, with the custom response 413 and its body ("Custom responses for
 * Block actions": a custom response takes precedence over the protected resource's own, so API Gateway's WAF_FILTERED
 * gateway response does not apply), when all of: the METHOD is exactly the route's (string match, "String match rule
 * statement"), the URI_PATH matches its path pattern and the single header `content-length` matches the pattern of
 * numbers past the limit ("Regex match rule statement"; header names are matched case-insensitively, "Request
 * components in AWS WAF"). No text transformation: the values are compared as sent.
 */
export function bodyLimitRule(rule: BodyLimitRule, priority: number, visibilityConfig: aws.types.input.wafv2.WebAclRuleVisibilityConfig): aws.types.input.wafv2.WebAclRule {
  const none = [{ priority: 0, type: 'NONE' }];
  return {
    name: rule.name,
    priority,
    action: { block: { customResponse: { responseCode: 413, customResponseBodyKey: bodyLimitResponseKey(rule.limit) } } },
    statement: {
      andStatement: {
        statements: [
          { byteMatchStatement: { fieldToMatch: { method: {} }, positionalConstraint: 'EXACTLY', searchString: rule.method, textTransformations: none } },
          { regexMatchStatement: { fieldToMatch: { uriPath: {} }, regexString: rule.pathPattern, textTransformations: none } },
          { regexMatchStatement: { fieldToMatch: { singleHeader: { name: 'content-length' } }, regexString: rule.contentLengthPattern, textTransformations: none } },
        ],
      },
    },
    visibilityConfig,
  };
}
