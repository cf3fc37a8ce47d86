import type * as ApiGatewaySdk from '@aws-sdk/client-api-gateway';
import type { DeployedApi } from '../../core/verify/types';
import { MissingCredentialsError, VerifyError } from '../../errors';
import type { VerifyTarget } from './target';

/** What verify reads besides the API itself: the stage's deployment. */
export interface DeployedStage {
  deploymentId?: string;
  lastUpdatedDate?: Date;
}

export interface ReadOptions {
  /**
   * API Gateway's endpoint, for a stand-in of it (a test's loopback server); default the region's
   * (`https://apigateway.<region>.amazonaws.com`), or `AWS_ENDPOINT_URL_API_GATEWAY` when set (the AWS SDK's own
   * service-specific endpoint variable).
   */
  endpoint?: string;
}

/**
 * Reads the deployed REST API `target` through the AWS SDK (@aws-sdk/client-api-gateway, loaded here on first
 * use so no other command pays for it): GetStage (the stage and its deployment), GetExport of the stage
 * (`exportType: oas30`, `accepts: application/json`, `parameters: {extensions: apigateway}`, which brings
 * the integrations, validators and gateway responses: developer guide, "Export a REST API from API
 * Gateway"), the API's models, request validators, gateway responses and authorizers, every page, and the API
 * itself (GetRestApi: its binary media types and minimum compression size).
 * Credentials come from the SDK's default chain (environment, shared profile, SSO, web identity, container
 * or instance role). Read-only: each call is an `apigateway:GET`.
 *
 * Throws MissingCredentialsError when the chain gives none, a VerifyError naming the API, stage, region and
 * what is needed when AWS refuses or has no such API or stage, or when API Gateway cannot be reached.
 */
export async function readDeployedApi(target: VerifyTarget, options: ReadOptions = {}): Promise<{ api: DeployedApi; stage: DeployedStage }> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sdk = require('@aws-sdk/client-api-gateway') as typeof ApiGatewaySdk;
  const client = new sdk.APIGatewayClient({ region: target.region, ...(options.endpoint ? { endpoint: options.endpoint } : {}) });
  const { restApiId, stage: stageName } = target;
  try {
    const stage = await client.send(new sdk.GetStageCommand({ restApiId, stageName }));
    const exported = await client.send(
      new sdk.GetExportCommand({ restApiId, stageName, exportType: 'oas30', accepts: 'application/json', parameters: { extensions: 'apigateway' } }),
    );
    const text = new TextDecoder().decode(exported.body ?? new Uint8Array());
    let document: unknown;
    try {
      document = JSON.parse(text);
    } catch {
      throw new VerifyError(`The export of REST API ${restApiId}, stage ${stageName} is not JSON (content type ${exported.contentType ?? 'none'}): ${text.slice(0, 200)}`);
    }
    if (typeof document !== 'object' || document === null || Array.isArray(document)) throw new VerifyError(`The export of REST API ${restApiId}, stage ${stageName} is not an OpenAPI document.`);

    /** Every page of a list (`limit` 500, the most API Gateway returns at once; `position` for the next page). */
    const all = async <T>(page: (position: string | undefined) => Promise<{ items?: T[]; position?: string }>): Promise<T[]> => {
      const items: T[] = [];
      let position: string | undefined;
      do {
        const out = await page(position);
        items.push(...(out.items ?? []));
        position = out.position;
      } while (position);
      return items;
    };
    const models = await all((position) => client.send(new sdk.GetModelsCommand({ restApiId, limit: 500, position })));
    const requestValidators = await all((position) => client.send(new sdk.GetRequestValidatorsCommand({ restApiId, limit: 500, position })));
    const gatewayResponses = await all((position) => client.send(new sdk.GetGatewayResponsesCommand({ restApiId, limit: 500, position })));
    const authorizers = await all((position) => client.send(new sdk.GetAuthorizersCommand({ restApiId, limit: 500, position })));
    const api = await client.send(new sdk.GetRestApiCommand({ restApiId }));
    const restApi = {
      ...(api.binaryMediaTypes && api.binaryMediaTypes.length > 0 ? { binaryMediaTypes: api.binaryMediaTypes } : {}),
      ...(typeof api.minimumCompressionSize === 'number' ? { minimumCompressionSize: api.minimumCompressionSize } : {}),
    };
    return {
      api: { export: document as Record<string, unknown>, models, requestValidators, gatewayResponses, authorizers, restApi },
      stage: { ...(stage.deploymentId ? { deploymentId: stage.deploymentId } : {}), ...(stage.lastUpdatedDate ? { lastUpdatedDate: stage.lastUpdatedDate } : {}) },
    };
  } catch (err) {
    throw explain(err, target, options.endpoint ?? process.env.AWS_ENDPOINT_URL_API_GATEWAY);
  } finally {
    client.destroy();
  }
}

/** AWS's refusals that mean the credentials are not good (wrong, expired, or not allowed). */
const REFUSED = new Set(['UnrecognizedClientException', 'InvalidSignatureException', 'ExpiredTokenException', 'AccessDeniedException', 'UnauthorizedException', 'InvalidClientTokenId']);

/** Returns the user's error for an SDK failure, naming what is needed; anything unknown is returned as it is (a bug keeps its stack). */
function explain(err: unknown, target: VerifyTarget, endpoint: string | undefined): unknown {
  if (err instanceof VerifyError) return err;
  const e = err as { name?: string; message?: string; code?: string; $metadata?: { httpStatusCode?: number } };
  const api = `REST API ${target.restApiId} (stage ${target.stage}, ${target.region})`;
  if (e.name === 'CredentialsProviderError' || /Could not load credentials/i.test(e.message ?? '')) {
    return new MissingCredentialsError(
      `No AWS credentials to read ${api} with: set AWS_PROFILE (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), ` +
        'the same credentials pulumi up uses; they need apigateway:GET on the API.',
    );
  }
  if (REFUSED.has(e.name ?? '') || e.$metadata?.httpStatusCode === 403) {
    return new VerifyError(
      `AWS refused to show ${api}: ${e.name}: ${e.message}. The credentials need apigateway:GET on arn:aws:apigateway:${target.region}::/restapis/${target.restApiId} and arn:aws:apigateway:${target.region}::/restapis/${target.restApiId}/*.`,
    );
  }
  if (e.name === 'NotFoundException') {
    return new VerifyError(`${api} was not found: ${e.message}. Check the stack's outputs (pulumi stack output url) and the region, and that pulumi up finished.`);
  }
  const network = e.code ?? (err as { cause?: { code?: string } }).cause?.code;
  if (network && /^(ECONNREFUSED|ENOTFOUND|ETIMEDOUT|ECONNRESET|EAI_AGAIN|EHOSTUNREACH)$/.test(network)) {
    return new VerifyError(`cannot reach API Gateway${endpoint ? ` at ${endpoint}` : ` in ${target.region}`}: ${network}.`);
  }
  if (typeof e.name === 'string' && e.$metadata) return new VerifyError(`API Gateway answered ${e.name} for ${api}: ${e.message}`);
  return err;
}
