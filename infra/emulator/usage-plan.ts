import type { QuotaPeriod } from '../settings';
import { gatewayErrors, type GatewayError } from './errors';

export interface UsagePlanLimits {
  throttle: { rateLimit: number; burstLimit: number };
  quota: { limit: number; period: QuotaPeriod };
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/**
 * The usage plan's per-key limits (reference §3.10–§3.13): a token bucket holding `burstLimit`
 * tokens, refilled at `rateLimit` per second (THROTTLED), then a request quota per calendar period
 * (QUOTA_EXCEEDED). `now` is injectable so tests need no clocks.
 */
export class UsagePlan {
  private readonly buckets = new Map<string, Bucket>();
  private readonly used = new Map<string, { period: number; count: number }>();

  constructor(
    private readonly limits: UsagePlanLimits,
    private readonly now: () => number = Date.now,
  ) {}

  /** Returns the error for a request with `key` over a limit, or null (and counts the request). */
  admit(key: string): GatewayError | null {
    const now = this.now();
    const { rateLimit, burstLimit } = this.limits.throttle;
    const bucket = this.buckets.get(key) ?? { tokens: burstLimit, updatedAt: now };
    bucket.tokens = Math.min(burstLimit, bucket.tokens + ((now - bucket.updatedAt) / 1000) * rateLimit);
    bucket.updatedAt = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens < 1) return gatewayErrors.throttled();
    bucket.tokens -= 1;

    // A throttled request never reached the quota; an admitted one counts even if validation then fails.
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
