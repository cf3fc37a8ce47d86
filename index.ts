/**
 * The Pulumi program of this repository: the todo example deployed by the package, as a user's project does
 * it (`npx koa-apigateway init` writes the same program without the example's table). `deployApp` reads the
 * app descriptor (app.config.ts) and the stack's settings, plans the routes, bundles the Lambda entry and
 * creates the gateway; bad settings and undeployable routes fail here, at preview.
 */
import { deployApp } from 'koa-apigateway/pulumi';
// The example's own infrastructure: its DynamoDB table, with `storage: dynamodb` (docs/storage.md).
import { exampleSettings } from './service/infra/settings';
import { TodoStorage } from './service/infra/storage';

export const {
  url,
  apiKey,
  apiKeyId,
  restApiId,
  functionName,
  logGroupName,
  accessLogGroupName,
  routes,
  authorization,
  userPoolId,
  userPoolClientId,
  issuerUrl,
  customUrl,
  domainTarget,
  webAclArn,
  /** The todos table (`storage: dynamodb` only). */
  tableName,
} = deployApp({
  // With `storage: dynamodb` the todos live in a table; the function gets its name and the right to use it.
  resources: ({ name, settings }) => {
    const example = exampleSettings(settings.app);
    if (example?.storage !== 'dynamodb') return undefined;
    const storage = new TodoStorage(name, { settings: example.table });
    return { environment: storage.environment, policies: { storage: storage.policy }, outputs: { tableName: storage.tableName } };
  },
});
