import type { Draft04Schema } from './types';

/**
 * The validation keywords a deployed model keeps: those with public evidence that API Gateway's request
 * validator enforces them (docs/apigateway-behaviour.md §4.18, which cites each):
 *
 * - `type`, `required`, `properties`, `enum`, `minimum`, `maximum`: AWS's request validation test and its
 *   models page (VALT, MOD) refuse bodies breaking them;
 * - `additionalProperties`: dropped from the "not supported" notes in 2021 (KI-HIST), and AWS's validator
 *   message for it is recorded (§2.10);
 * - `items`, `$ref`, `oneOf` with a `null` branch: recorded against AWS (LS-T-COMMON, §4.11);
 * - `allOf`, `anyOf`, `oneOf`: "not supported by API Gateway" in 2022, narrowed in 2023 to "not supported for
 *   OpenAPI 2.0 or SDK generation" (KI-HIST);
 * - `pattern`: listed "not supported" until 2019, then dropped from the notes (KI-HIST);
 * - `minLength`, `maxLength`: a user's report of them working deployed (SAMCLI364), and AWS's validator message
 *   format has them (FGE-MSG).
 *
 * Annotations (`title`, `description`, `default`) stay: they validate nothing.
 */
export const ENFORCED_KEYWORDS: ReadonlySet<string> = new Set([
  'type', 'required', 'properties', 'enum', 'minimum', 'maximum', 'additionalProperties', 'items', '$ref',
  'allOf', 'anyOf', 'oneOf', 'pattern', 'minLength', 'maxLength',
]);

/** Keywords that only describe: kept in a deployed model, as in the document. */
const ANNOTATIONS: ReadonlySet<string> = new Set(['title', 'description', 'default']);

/**
 * Validation keywords a deployed model leaves to the service, because API Gateway is documented or reported
 * not to enforce them, or nothing shows that it does (docs/apigateway-behaviour.md §4.18):
 * `exclusiveMinimum` ("not supported by API Gateway", KI), `minItems`/`maxItems` ("not included in simple request
 * validation", KI), `minProperties` (reported ignored, SAM2708), and their unrecorded siblings `exclusiveMaximum`,
 * `maxProperties`, with `uniqueItems`, `multipleOf` and `not`, of which no enforcement is recorded. Whatever AWS
 * does with them, a model without them validates the same everywhere.
 */
export const LEFT_TO_SERVICE = ['exclusiveMinimum', 'exclusiveMaximum', 'minItems', 'maxItems', 'minProperties', 'maxProperties', 'uniqueItems', 'multipleOf', 'not'] as const;

/** Keywords whose values are data, not schemas. */
const DATA = new Set(['enum', 'default', 'required']);

/**
 * Returns `schema` (a model in the document's form) with only the keywords API Gateway enforces
 * ({@link ENFORCED_KEYWORDS} and annotations), and whether anything was removed. The result accepts every
 * value `schema` accepts (it is never stricter, so the gateway never refuses what the service would take):
 * a `oneOf` a branch of which lost a keyword becomes an `anyOf` (two loosened branches may both match, which
 * `oneOf` would refuse), and `not` is removed whole (removing a keyword inside it would make it refuse more).
 * The service still validates the full schema (infra/src/route/validation.ts). Never mutates its input.
 */
export function keepEnforcedKeywords(schema: Draft04Schema): { schema: Draft04Schema; loosened: boolean } {
  let loosened = false;
  const walk = (node: unknown): unknown => {
    if (node === null || typeof node !== 'object' || Array.isArray(node)) return node;
    const out: Record<string, unknown> = {};
    for (const [keyword, value] of Object.entries(node as Record<string, unknown>)) {
      if (!ENFORCED_KEYWORDS.has(keyword) && !ANNOTATIONS.has(keyword)) {
        loosened = true;
        continue;
      }
      if (DATA.has(keyword) || keyword === '$ref' || typeof value !== 'object' || value === null) {
        out[keyword] = structuredClone(value);
      } else if (keyword === 'properties') {
        out[keyword] = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, walk(sub)]));
      } else if (keyword === 'allOf' || keyword === 'anyOf' || keyword === 'oneOf') {
        const before = loosened;
        loosened = false;
        const branches = (value as unknown[]).map(walk);
        const branchLoosened = loosened;
        loosened = before || branchLoosened;
        if (keyword === 'allOf') out.allOf = [...branches, ...((out.allOf as unknown[]) ?? [])];
        else if (keyword !== 'oneOf' || !branchLoosened) out[keyword] = branches;
        // Beside an `anyOf` of its own, the new one goes under `allOf`: both must hold, as before.
        else if ('anyOf' in (node as Record<string, unknown>)) out.allOf = [...((out.allOf as unknown[]) ?? []), { anyOf: branches }];
        else out.anyOf = branches;
      } else {
        out[keyword] = walk(value);
      }
    }
    return out;
  };
  const result = walk(schema) as Draft04Schema;
  return { schema: result, loosened };
}
