/**
 * The Lambda function an integration `uri` invokes. API Gateway's Lambda integration URI is
 * `arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{function ARN}/invocations` (API Gateway
 * developer guide, "x-amazon-apigateway-integration object", `uri`), the function ARN being
 * `arn:{partition}:lambda:{region}:{account}:function:{name}` with an optional `:{version or alias}` (AWS Lambda
 * developer guide, "Understanding Lambda function ARNs"; a name is 1-64 letters, digits, `-` and `_`).
 */
const INVOKE_ARN = /^arn:[a-z-]+:apigateway:[^:/]*:lambda:path\/2015-03-31\/functions\/arn:[a-z-]+:lambda:[^:/]*:[^:/]*:function:([A-Za-z0-9_-]{1,64})(?::[A-Za-z0-9$_-]+)?\/invocations$/;

/**
 * Returns the function name inside a Lambda invoke ARN: `local` for the undeployed document's
 * `...:function:local/invocations`, `local-write` for `...:function:local-write/invocations`,
 * `shop-write-fn-abc123` for a deployed one; undefined for anything else (another integration's uri).
 * The local gateway picks the function of a method by this name (./pipeline.ts).
 */
export function functionOfInvokeArn(uri: string): string | undefined {
  return INVOKE_ARN.exec(uri)?.[1];
}
