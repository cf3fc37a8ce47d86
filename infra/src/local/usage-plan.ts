import type { QuotaPeriod } from '../settings/types';
import { gatewayErrors, type GatewayError } from './errors';

export interface UsagePlanLimits {
  throttle: { rateLimit: number; burstLimit: number };
  quota: { limit: number; period: QuotaPeriod };
}

/**
 * Token buckets by name (docs/apigateway-behaviour.md §3.10): each holds up to `burstLimit` tokens, refilled at
 * `rateLimit` per second; a request takes one or is throttled. `now` is injectable so tests need no clocks.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; updatedAt: number }>();

  constructor(
    private readonly limits: { rateLimit: number; burstLimit: number },
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes a token from the bucket `name`; false when it is empty (throttled). */
  take(name: string): boolean {
    const now = this.now();
    const bucket = this.buckets.get(name) ?? { tokens: this.limits.burstLimit, updatedAt: now };
    bucket.tokens = Math.min(this.limits.burstLimit, bucket.tokens + ((now - bucket.updatedAt) / 1000) * this.limits.rateLimit);
    bucket.updatedAt = now;
    this.buckets.set(name, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}

/**
 * The usage plan's per-key limits (docs/apigateway-behaviour.md §3.10–§3.13): the key's token bucket (THROTTLED), then
 * its request quota per calendar period (QUOTA_EXCEEDED).
 */
export class UsagePlan {
  private readonly throttle: TokenBuckets;
  private readonly used = new Map<string, { period: number; count: number }>();

  constructor(
    private readonly limits: UsagePlanLimits,
    private readonly now: () => number = Date.now,
  ) {
    this.throttle = new TokenBuckets(limits.throttle, now);
  }

  /** Returns the error for a request with `key` over a limit, or null (and counts the request). */
  admit(key: string): GatewayError | null {
    if (!this.throttle.take(key)) return gatewayErrors.throttled();
    // A throttled request never reached the quota; an admitted one counts even if validation then fails.
    const now = this.now();
    const period = periodStart(this.limits.quota.period, now);
    const usage = this.used.get(key);
    const count = usage && usage.period === period ? usage.count : 0;
    if (count >= this.limits.quota.limit) return gatewayErrors.quotaExceeded();
    this.used.set(key, { period, count: count + 1 });
    return null;
  }
}

/**
 * Returns the start (epoch ms) of the quota period holding `now`: UTC midnight, Sunday (offset 0,
 * as the older SDK docs put it) or the 1st of the month. Reset instant UNCONFIRMED on AWS (§3.14).
 */
export function periodStart(period: QuotaPeriod, now: number): number {
  const d = new Date(now);
  const day = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  if (period === 'DAY') return day;
  if (period === 'WEEK') return day - d.getUTCDay() * 86_400_000;
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}
