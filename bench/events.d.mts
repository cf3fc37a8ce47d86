/** Types of events.mjs (plain JavaScript so the runners start as bare `node` processes). */
export interface RestEvent {
  resource: string;
  path: string;
  httpMethod: string;
  headers: Record<string, string>;
  multiValueHeaders: Record<string, string[]>;
  queryStringParameters: Record<string, string> | null;
  multiValueQueryStringParameters: Record<string, string[]> | null;
  pathParameters: null;
  stageVariables: null;
  requestContext: Record<string, unknown>;
  body: string | null;
  isBase64Encoded: boolean;
}
export function restEvent(method: string, pathWithQuery: string, body?: unknown): RestEvent;
export const lambdaContext: { awsRequestId: string; functionName: string; getRemainingTimeInMillis(): number };
export const SCENARIOS: ReadonlyArray<{ name: string; status: number; event(id?: string): RestEvent }>;
