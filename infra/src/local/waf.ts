import type { BodyLimitRule } from '../core/waf-body-limits';
import type { WafSettings } from '../settings/types';

/**
 * What the local gateway does NOT emulate of the stage's web ACL (infra/src/pulumi/edge.ts): printed at
 * start and listed in docs/edge.md. Locally the per-IP rate rule and the routes' body-limit rules run.
 */
export const WAF_NOT_EMULATED = [
  'the AWS managed rule groups (IP reputation list, common rule set, known bad inputs): their rules are AWS-maintained and not public',
  "WAF's rate detection delay (AWS checks the rate periodically, so a burst can pass before blocking starts): locally the limit is exact",
  'WAF logs (CloudWatch aws-waf-logs-* group) and metrics',
] as const;

/**
 * WAF's rate-based rule aggregated on the client IP (AWS WAF Developer Guide, "Rate-based rule
 * high-level settings"): requests from one IP in the trailing evaluation window (300 s, the
 * default) are counted; past `limit`, the rule's action (block) applies to further requests from
 * that IP until its count in the window falls back under the limit. Every request the rule sees
 * is counted, blocked ones included (so a client that keeps sending stays blocked), an assumption
 * consistent with WAF's description of blocking "until the rate falls below the limit".
 * Counts are kept per second, so memory per IP is bounded by the window. `now` is injectable (tests).
 */
export class RateBasedRule {
  private readonly counts = new Map<string, Map<number, number>>();

  constructor(
    private readonly limit: number,
    private readonly windowSeconds = 300,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts a request from `ip`; returns true when it is over the limit (WAF blocks it). */
  blocks(ip: string): boolean {
    const second = Math.floor(this.now() / 1000);
    const buckets = this.counts.get(ip) ?? new Map<number, number>();
    let inWindow = 0;
    for (const [at, count] of buckets) {
      if (at <= second - this.windowSeconds) buckets.delete(at);
      else inWindow += count;
    }
    buckets.set(second, (buckets.get(second) ?? 0) + 1);
    this.counts.set(ip, buckets);
    this.forgetIdle(second);
    return inWindow >= this.limit;
  }

  /** Drops IPs with nothing in the window, now and then, so many one-off clients do not grow the map. */
  private forgetIdle(second: number): void {
    if (this.counts.size < 10_000) return;
    for (const [ip, buckets] of this.counts) if ([...buckets.keys()].every((at) => at <= second - this.windowSeconds)) this.counts.delete(ip);
  }
}

/** Stage 5, the web ACL: returns its emulated rate rule for the stack's settings, or undefined with `waf: false`. */
export function wafRateRule(waf: WafSettings, now?: () => number): RateBasedRule | undefined {
  return waf.enabled ? new RateBasedRule(waf.rateLimit, 300, now) : undefined;
}

/**
 * Stage 5 too, the web ACL's body-limit rules (infra/src/core/waf-body-limits.ts, priority 4 on in the deployed web
 * ACL, so after the rate rule): returns the first rule whose method is `method`, whose path pattern matches `rawPath`
 * (the request's path without its query: WAF's URI_PATH) and whose Content-Length pattern matches the request's one
 * `content-length` header, else undefined. The patterns are the very strings the web ACL deploys, run by JavaScript's
 * RegExp (the generated ones use nothing PCRE and JavaScript read differently). A request without Content-Length
 * (chunked) matches none, as on AWS; the function's own limit still applies to it.
 */
export function bodyLimitBlock(rules: readonly BodyLimitRule[], method: string, rawPath: string, contentLength: string | undefined): BodyLimitRule | undefined {
  if (contentLength === undefined) return undefined;
  return rules.find((r) => r.method === method && new RegExp(r.pathPattern).test(rawPath) && new RegExp(r.contentLengthPattern).test(contentLength));
}
