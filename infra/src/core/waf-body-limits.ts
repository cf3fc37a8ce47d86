import { PAYLOAD_LIMIT_BYTES } from './limits';

/**
 * The web ACL's body-limit rules (docs/edge.md "Body limits at the edge"): for each route whose declared `bodyLimit`
 * is below API Gateway's own 10 MB payload limit, a rule that blocks a request to that route's method and path whose
 * `Content-Length` header is past the limit, with a 413 in the API's error shape. Pure: the Pulumi component turns
 * each into a WAFv2 rule (infra/src/pulumi/edge.ts), the local gateway runs the same regular expressions
 * (infra/src/local/waf.ts). WAF's size constraint on a header measures the header value's length, not the number it
 * holds, and body inspection stops at 8–64 KB (AWS WAF Developer Guide, "Size constraint rule statement", "Managing
 * body inspection size limits"), so the rule matches the header's digits with a regular expression.
 */

/** One route's body-limit rule, in WAF's terms and the local gateway's. */
export interface BodyLimitRule {
  /** The rule's name in the web ACL: `body-limit-<method>-<path words>` (a repeat gets `-2`, `-3`...), at most 128 characters (WAF's limit). */
  name: string;
  /** The route, as `pulumi preview` messages name it: `PUT /files/{id}`. */
  route: string;
  method: string;
  /** The route's declared `bodyLimit`, in bytes. */
  limit: number;
  /** Anchored regular expression matching the URI path WAF sees for the route (see {@link uriPathPattern}). */
  pathPattern: string;
  /** Anchored regular expression matching a Content-Length value past `limit` (see {@link contentLengthOver}). */
  contentLengthPattern: string;
  /** The 413 body: `{"message":"Request body exceeds the limit of <limit> bytes"}`, the function's own 413 (infra/src/route/body.ts). */
  body: string;
}

/**
 * WCUs of one body-limit rule: an AND of a string match on METHOD "exactly" (2) and two regex match statements (3
 * each), no text transformation (AWS WAF Developer Guide, "String match rule statement", "Regex match rule statement",
 * "Logical rule statements": an AND costs its nested statements).
 */
export const BODY_LIMIT_RULE_WCU = 8;

/**
 * Returns an anchored regular expression (PCRE and JavaScript alike, no capturing group: WAF supports none, AWS WAF
 * Developer Guide "Supported regular expression syntax") matching exactly the decimal integers greater than `limit`.
 * Leading zeros are allowed and ignored (`0*`): RFC 9110 §8.6 defines Content-Length as `1*DIGIT`, so `000300` is the
 * number 300, and a client writing it must not slip past the rule. Anything that is not digits only (a sign, spaces,
 * a list) never matches: such a header is no valid Content-Length, and the function's own limit still applies.
 * Throws a RangeError unless `limit` is a non-negative safe integer.
 */
export function contentLengthOver(limit: number): string {
  if (!Number.isSafeInteger(limit) || limit < 0) throw new RangeError(`contentLengthOver: ${limit} is not a non-negative integer`);
  const digits = String(limit);
  const longer = `[1-9][0-9]{${digits.length},}`;
  const sameLength: string[] = [];
  for (let i = 0; i < digits.length; i++) {
    const d = Number(digits[i]);
    if (d === 9) continue;
    const rest = digits.length - i - 1;
    sameLength.push(`${digits.slice(0, i)}${d + 1 === 9 ? '9' : `[${d + 1}-9]`}${rest > 1 ? `[0-9]{${rest}}` : rest === 1 ? '[0-9]' : ''}`);
  }
  return `^0*(?:${[longer, ...sameLength].join('|')})$`;
}

/**
 * Returns an anchored regular expression matching the URI paths WAF sees for `resourcePath` (`/files/{id}`; each
 * `{param}` one segment `[^/]+`, a greedy `{proxy+}` one or more): the stage's own URL carries the stage name in front
 * (`/{stage}/files/x`, the path a REST API's stage is invoked at), and a custom domain's request carries its base path
 * instead (`/{basePath}/files/x`, or nothing before `/files/x` for the empty base path). Which of the two WAF inspects
 * behind a custom domain is not documented; both are matched.
 */
export function uriPathPattern(resourcePath: string, stageName: string, basePath?: string): string {
  const escape = (s: string) => s.replace(/[\\^$.*+?()[\]{}|]/g, (c) => `\\${c}`);
  const stage = `/${escape(stageName)}`;
  const prefix = basePath === undefined ? stage : basePath === '' ? `(?:${stage})?` : `(?:${stage}|/${escape(basePath)})`;
  const path = resourcePath
    .split('/')
    .slice(1)
    .map((part) => (/^\{[^}]+\+\}$/.test(part) ? '[^/]+(?:/[^/]+)*' : /^\{[^}]+\}$/.test(part) ? '[^/]+' : escape(part)))
    .join('/');
  return `^${prefix}/${path}$`;
}

/** The 413 body of a request past `limit` bytes: the function's own (infra/src/route/body.ts), so clients see one answer whoever refuses. */
export function bodyLimitMessage(limit: number): string {
  return JSON.stringify({ message: `Request body exceeds the limit of ${limit} bytes` });
}

/**
 * Returns the body-limit rules of `methods` (GatewaySpec methods): one per method whose `bodyLimit` is declared and
 * below {@link PAYLOAD_LIMIT_BYTES} (at or past it, API Gateway's own limit refuses first), in the methods' order.
 * `stageName` and `domain` give the URI paths WAF sees ({@link uriPathPattern}).
 */
export function bodyLimitRules(
  methods: readonly { method: string; resourcePath: string; bodyLimit?: number }[],
  stageName: string,
  domain?: { basePath: string },
): BodyLimitRule[] {
  const names = new Set<string>();
  return methods
    .filter((m) => m.bodyLimit !== undefined && m.bodyLimit < PAYLOAD_LIMIT_BYTES)
    .map((m) => {
      const words = m.resourcePath.replace(/[{}+]/g, '').split('/').filter(Boolean).join('-').replace(/[^A-Za-z0-9_-]/g, '_');
      // Rule names are unique in a web ACL: `/files/{id}` and `/files/id` would share one, so a repeat gets a number.
      const base = `body-limit-${m.method}-${words}`.slice(0, 120);
      let name = base;
      for (let i = 2; names.has(name); i++) name = `${base}-${i}`;
      names.add(name);
      return {
        name,
        route: `${m.method} ${m.resourcePath}`,
        method: m.method,
        limit: m.bodyLimit!,
        pathPattern: uriPathPattern(m.resourcePath, stageName, domain?.basePath),
        contentLengthPattern: contentLengthOver(m.bodyLimit!),
        body: bodyLimitMessage(m.bodyLimit!),
      };
    });
}
