import * as pulumi from '@pulumi/pulumi';
import { bundleDirFromEnv, bundleLambda } from './infra/bundle';
import { readPulumiSettings } from './infra/config';
import { KoaGateway } from './infra/gateway';
import { authorizationOf } from './infra/definition';
import { buildGatewaySpec } from './infra/plan';
import { loadApp } from './infra/app';
// The example's own infrastructure (its DynamoDB table): drop these lines, and `storage` below, for your own app (README "Layout").
import { exampleSettings } from './service/infra/settings';
import { TodoStorage } from './service/infra/storage';

// The app (app.config.ts, or the descriptor KOA_APIGATEWAY_APP names) → config → spec (the plan; the component
// turns it into the API definition) → bundle → component. Bad settings and undeployable routes fail here, at preview.
const app = loadApp();
const settings = readPulumiSettings(app.settings);
// With a user pool configured, the app may mount its token routes (the example's GET /api/v1/me): docs/auth.md.
const spec = buildGatewaySpec(app.createApp({ userPool: settings.userPool !== undefined }));
// KOA_APIGATEWAY_BUNDLE_DIR moves the bundle out of dist/lambda (tests running the program use it so
// they never rewrite the bundle other tests are reading).
const bundle = bundleLambda({ app, outDir: bundleDirFromEnv() }).then(
  ({ file }) =>
    new pulumi.asset.AssetArchive({
      'index.mjs': new pulumi.asset.FileAsset(file),
      'index.mjs.map': new pulumi.asset.FileAsset(`${file}.map`),
    }),
);

// The example: with `storage: dynamodb` the todos live in a table; the function gets its name and the right to use it.
const example = exampleSettings(settings.app);
const storage = example?.storage === 'dynamodb' ? new TodoStorage(app.name, { settings: example.table }) : undefined;
const gateway = new KoaGateway(app.name, {
  spec,
  // The deployed document's info, as npm start and npm run openapi show it.
  title: app.title,
  version: app.version,
  settings,
  code: bundle,
  ...(storage && { environment: storage.environment, policies: { storage: storage.policy } }),
});

export const url = gateway.url;
export const apiKey = gateway.apiKey;
export const apiKeyId = gateway.apiKeyId;
export const restApiId = gateway.restApiId;
export const functionName = gateway.functionName;
export const logGroupName = gateway.logGroupName;
export const accessLogGroupName = gateway.accessLogGroupName;
/** The deployed routes, `METHOD /path`, sorted: `pulumi preview` shows added and removed ones as an output diff. */
export const routes = gateway.routes;
/** The todos table (`storage: dynamodb` only). */
export const tableName = storage?.tableName;
/** How each route is authorized: api key, public, or a user pool token (with its scopes, and the key when both are required). */
export const authorization = authorizationOf(spec);
/** The user pool of token routes (`userPool` config): its id, the app client id, and the tokens' issuer URL. */
export const userPoolId = gateway.userPool?.poolId;
export const userPoolClientId = gateway.userPool?.clientId;
export const issuerUrl = gateway.userPool?.issuerUrl;
/** The API through its custom domain, `https://<domainName>[/<basePath>]` (docs/edge.md; `domainName` only). */
export const customUrl = gateway.customUrl;
/** The host the custom domain's DNS record must point at, when this stack creates the domain. */
export const domainTarget = gateway.domainTarget;
/** The WAF web ACL on the stage (`waf: true` only). */
export const webAclArn = gateway.webAclArn;
