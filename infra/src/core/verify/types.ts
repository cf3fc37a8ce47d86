/**
 * What `koa-apigateway verify` reads of a deployed REST API, in the shapes the API Gateway API returns them
 * (API reference, https://docs.aws.amazon.com/apigateway/latest/api/: GetExport, GetModels,
 * GetRequestValidators, GetGatewayResponses, GetAuthorizers, GetRestApi), and what the comparison reports. The core
 * compares; reading them over the network is the tool's (infra/src/tools/verify/read.ts).
 */

/** One item of GetModels (`Model`): its name, content type and schema, a JSON string as stored. */
export interface DeployedModel {
  name?: string;
  contentType?: string;
  /** The draft-04 schema as text; cross-model `$ref`s in the `https://apigateway.amazonaws.com/restapis/{id}/models/{name}` form. */
  schema?: string;
}

/** One item of GetRequestValidators (`RequestValidator`). */
export interface DeployedRequestValidator {
  name?: string;
  validateRequestBody?: boolean;
  validateRequestParameters?: boolean;
}

/** One item of GetGatewayResponses (`GatewayResponse`): every type is listed, the ones never customised with `defaultResponse: true`. */
export interface DeployedGatewayResponse {
  responseType?: string;
  /** A string in this API (`"400"`); absent when the type keeps its default. */
  statusCode?: string;
  responseParameters?: Record<string, string>;
  responseTemplates?: Record<string, string>;
  defaultResponse?: boolean;
}

/** One item of GetAuthorizers (`Authorizer`). */
export interface DeployedAuthorizer {
  name?: string;
  /** `TOKEN`, `REQUEST` or `COGNITO_USER_POOLS`. */
  type?: string;
  providerARNs?: string[];
  /** `method.request.header.Authorization` for a token in that header. */
  identitySource?: string;
}

/**
 * What GetRestApi (`RestApi`) says of the API's own settings that the document sets through its extensions: the
 * binary media types (`x-amazon-apigateway-binary-media-types`) and the minimum compression size
 * (`x-amazon-apigateway-minimum-compression-size`); each absent when the API has none.
 */
export interface DeployedRestApi {
  binaryMediaTypes?: string[];
  minimumCompressionSize?: number;
}

/**
 * A deployed REST API as verify reads it. The export is the stage's: what its deployment serves. The lists
 * are the API's own, what the next deployment would take: a difference only in them is a change (or a
 * half-done import) not yet deployed, or not deployed by this program.
 */
export interface DeployedApi {
  /** The stage's export (GetExport, `exportType: oas30`, `extensions: apigateway`, JSON), parsed. */
  export: Record<string, unknown>;
  models: DeployedModel[];
  requestValidators: DeployedRequestValidator[];
  gatewayResponses: DeployedGatewayResponse[];
  authorizers: DeployedAuthorizer[];
  /** The API's own settings (GetRestApi); undefined: not read, not compared. */
  restApi?: DeployedRestApi;
}

/** Where a deployed value was read. */
export type DeployedSource = 'export' | 'models' | 'requestValidators' | 'gatewayResponses' | 'authorizers' | 'restApi';

/**
 * One difference between the document the program builds and the deployed API: printed as one line,
 * `<source> #<pointer>: <what>` (formatDifference).
 */
export interface Difference {
  source: DeployedSource;
  /**
   * A JSON Pointer (RFC 6901: `~1` for `/`, `~0` for `~`): into the OpenAPI document for `export`
   * (`/paths/~1parcels/get/parameters/query:limit`), into the list by name for the others
   * (`/ParcelPatch/minProperties`, `/BAD_REQUEST_BODY/responseTemplates/application~1json`).
   */
  pointer: string;
  /** The document's value there; undefined when the document has nothing there. */
  expected?: unknown;
  /** The deployed value there; undefined when nothing is deployed there. */
  deployed?: unknown;
  /** What it means, when the values alone do not say (`route GET /x is not deployed`). */
  note?: string;
}
