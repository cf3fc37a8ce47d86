/**
 * The app this repository deploys and serves: the todo example (service/). Everything generic (infra/,
 * runtime/, scripts/, index.ts) reads the app through this descriptor (infra/src/app/load.ts); to serve your own
 * Koa app, change this file and the service folder (README "Layout"). KOA_APIGATEWAY_APP=<file> points
 * every script and the Pulumi program at another descriptor.
 */
import { defineApp } from 'koa-apigateway';
import type * as Service from './service/app';
import { attachmentContract } from './service/conformance/attachments';
import { todoContract } from './service/conformance/todos';
import { FUNCTION_GROUPS } from './service/functions/groups';
import { EXAMPLE_SETTINGS } from './service/infra/settings';

export default defineApp({
  name: 'todo',
  title: 'koa-apigateway',
  version: '0.1.0',
  // The service loads on first use: a script that reads only the settings (or a test) does not pay for it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  createApp: ({ userPool }) => (require('./service/app') as typeof Service).createApp({ userPool }),
  lambda: 'service/lambda.ts',
  // One Lambda function per group of routes (docs/functions.md): `health` (128 MB, no table), `read` and `account`
  // (read-only table rights), `write`; each from its own entry (service/functions/*.ts), which mounts only its
  // routes. The groups, as data: service/functions/groups.ts. Without this line one function serves every route.
  functions: FUNCTION_GROUPS,
  watch: ['service'],
  settings: EXAMPLE_SETTINGS,
  // npm start: a local DynamoDB (dynalite) for the todos, shared by the function groups' processes as the deployed
  // functions share the table: in memory by default, kept in .local/dynamodb with STORAGE=dynamodb.
  localServices: async ({ env, out }) => {
    // Loaded only when npm start runs: the descriptor stays cheap for every other script.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { startLocalStorage } = require('./service/infra/local-dynamo') as typeof import('./service/infra/local-dynamo');
    return startLocalStorage(env, { out });
  },
  contracts: [todoContract, attachmentContract],
});
