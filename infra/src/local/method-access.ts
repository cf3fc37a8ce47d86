import type { AuthorizerOutcome, UserPoolAuthorizer } from './authorizer';
import type { DeployedMethod } from './definition';
import { gatewayErrors, type GatewayError } from './errors';
import type { TokenBuckets, UsagePlan } from './usage-plan';

/** What the method's access stage needs: the user pools' verifier, the one API key, its usage plan, the stage throttle. */
export interface MethodAccessChecks {
  verifyToken(authorizer: UserPoolAuthorizer, headerValue: string | undefined): Promise<AuthorizerOutcome>;
  apiKey: string;
  usagePlan: Pick<UsagePlan, 'admit'>;
  stageThrottle: Pick<TokenBuckets, 'take'>;
}

/**
 * Stage 7, the method's access checks, in the order the chain applies them (docs/apigateway-behaviour.md
 * §12.8, §3.16: route → authorizer → API key → validation; LocalStack's order, UNCONFIRMED on AWS), each
 * answering with its gateway response:
 * - the `cognito_user_pools` authorizer: reads its header (UNAUTHORIZED 401, or the expired-token 401);
 * - the API key, when the method requires one: `x-api-key` (INVALID_API_KEY 403), then the key's usage plan,
 *   its token bucket then its quota (THROTTLED 429, QUOTA_EXCEEDED 429; §3.10–§3.13);
 * - the stage's `*\/*` method throttle (`stageRateLimit`, `stageBurstLimit`), every method included, public ones
 *   and preflights (THROTTLED 429; one bucket per method, all clients together: infra/src/pulumi/component.ts MethodSettings).
 * `rawHeaders` is Node's (name, value, name, value…), every line as sent.
 * Returns the verified token's claims (for `requestContext.authorizer.claims`) when admitted.
 */
export async function checkMethodAccess(method: DeployedMethod, headers: Record<string, string | undefined>, checks: MethodAccessChecks, rawHeaders: readonly string[] = []): Promise<{ ok: true; claims?: Record<string, string> } | { ok: false; error: GatewayError }> {
  let claims: Record<string, string> | undefined;
  if (method.authorizer) {
    // The token header on two lines is refused (401): Node keeps the first `Authorization` line, the event's
    // `headers` the last, and serverless-http joins both for the app, so one token would be verified and
    // another passed on. What AWS does with two lines is UNCONFIRMED; refusing never admits what it refuses.
    const name = method.authorizer.header.toLowerCase();
    let lines = 0;
    for (let i = 0; i < rawHeaders.length; i += 2) if (rawHeaders[i]!.toLowerCase() === name) lines++;
    if (lines > 1) return { ok: false, error: gatewayErrors.unauthorized() };
    const outcome = await checks.verifyToken(method.authorizer, headers[method.authorizer.header.toLowerCase()]);
    if (!outcome.ok) return outcome;
    claims = outcome.claims;
  }
  if (method.apiKeyRequired) {
    if (headers['x-api-key'] !== checks.apiKey) return { ok: false, error: gatewayErrors.invalidApiKey() };
    const limited = checks.usagePlan.admit(checks.apiKey);
    if (limited) return { ok: false, error: limited };
  }
  if (!checks.stageThrottle.take(`${method.resourcePath} ${method.method}`)) return { ok: false, error: gatewayErrors.throttled() };
  return claims ? { ok: true, claims } : { ok: true };
}
