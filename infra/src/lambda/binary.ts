import { isBinaryContentType } from '../media-type';

/**
 * Binary responses of the Lambda adapter (docs/binary.md): which responses go out base64-encoded. No imports but the
 * dependency-free media-type matcher, so the Pulumi component and the local gateway name the same variable without
 * loading serverless-http.
 */

/**
 * The function's environment variable naming the API's binary media types, comma-separated (`image/png,application/*`):
 * the deployed definition's `x-amazon-apigateway-binary-media-types`, set by the component on every function
 * (infra/src/pulumi/function-environment.ts) and by `koa-apigateway start` on its function processes (docs/binary.md).
 */
export const BINARY_MEDIA_TYPES_VARIABLE = 'BINARY_MEDIA_TYPES';

/** Content encodings whose bodies are bytes whatever their type: serverless-http's own default (lib/provider/aws/is-binary.js). */
const BINARY_ENCODINGS = ['gzip', 'deflate', 'br'];

/**
 * Returns serverless-http's `binary` test for the API's binary media types (`types`: `type/subtype`, `type/*`, `*\/*`):
 * true for a response whose Content-Type (its media type, case-insensitive, parameters ignored: RFC 9110 §8.3.1) is
 * one of them, or whose Content-Encoding is gzip, deflate or br, as serverless-http's default. Such a response goes
 * out base64-encoded with `isBase64Encoded: true`, which API Gateway decodes for a client whose Accept names a binary
 * media type (docs/apigateway-behaviour.md §6.8). A function, not serverless-http's list: the list becomes regular
 * expressions, in which `+` (`application/vnd.api+json`) and `.` are operators.
 */
export function binaryResponseTest(types: readonly string[]): (headers: Record<string, unknown>) => boolean {
  const patterns = types.map((t) => t.trim().toLowerCase()).filter(Boolean);
  return (headers) => {
    const encoding = headers['content-encoding'];
    if (typeof encoding === 'string' && encoding.split(',').some((v) => BINARY_ENCODINGS.some((b) => v.includes(b)))) return true;
    const contentType = headers['content-type'];
    return typeof contentType === 'string' && isBinaryContentType(contentType, patterns);
  };
}
