import * as pulumi from '@pulumi/pulumi';
import { bundleDirFromEnv, bundleLambda } from './infra/bundle';
import { readPulumiSettings } from './infra/config';
import { KoaGateway } from './infra/gateway';
import { authorizationOf } from './infra/definition';
import { buildGatewaySpec } from './infra/plan';
import { TodoStorage } from './infra/storage';
import { createApp } from './service/app';

// config → spec (the plan; the component turns it into the API definition) → bundle → component. Bad settings and undeployable routes fail here, at preview.
const settings = readPulumiSettings();
// With a user pool configured, the example mounts its token routes (GET /api/v1/me): docs/auth.md.
const spec = buildGatewaySpec(createApp({ userPool: settings.userPool !== undefined }));
// KOA_APIGATEWAY_BUNDLE_DIR moves the bundle out of dist/lambda (tests running the program use it so
// they never rewrite the bundle other tests are reading).
const bundle = bundleLambda({ outDir: bundleDirFromEnv() }).then(
  ({ file }) =>
    new pulumi.asset.AssetArchive({
      'index.mjs': new pulumi.asset.FileAsset(file),
      'index.mjs.map': new pulumi.asset.FileAsset(`${file}.map`),
    }),
);

// With `storage: dynamodb` the todos live in a table: the function gets its name and the right to use it.
const storage = settings.storage === 'dynamodb' ? new TodoStorage('todo', { settings: settings.table }) : undefined;
const gateway = new KoaGateway('todo', {
  spec,
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
