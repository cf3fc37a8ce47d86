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
  /** Which function serves which routes, with its memory and timeout (docs/functions.md). */
  functions,
  userPoolId,
  userPoolClientId,
  issuerUrl,
  customUrl,
  domainTarget,
  webAclArn,
  /** The todos table (`storage: dynamodb` only). */
  tableName,
} = deployApp({
  // With `storage: dynamodb` the todos live in a table. Each function group (app.config.ts `functions`) that uses it
  // gets its name and only the rights its routes need (service/infra/storage.ts): `read`, `export` and `account` read, `write`
  // writes (and reads what it changes); `health` gets neither. `default` serves the routes no group claims (every
  // route, without `functions`): it gets the whole policy. A group with no routes deploys nothing.
  resources: ({ name, settings }) => {
    const example = exampleSettings(settings.app);
    if (example?.storage !== 'dynamodb') return undefined;
    const storage = new TodoStorage(name, { settings: example.table });
    const { environment } = storage;
    return {
      functions: {
        default: { environment, policies: { storage: storage.policy } },
        read: { environment, policies: { storage: storage.readPolicy } },
        write: { environment, policies: { storage: storage.writePolicy } },
        account: { environment, policies: { storage: storage.readPolicy } },
        export: { environment, policies: { storage: storage.readPolicy } },
      },
      outputs: { tableName: storage.tableName },
    };
  },
});
