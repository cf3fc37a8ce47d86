// Runs the project's Pulumi program the way Pulumi's Node.js language host does: through
// @pulumi/pulumi/cmd/run with PULUMI_NODEJS_TYPESCRIPT=true, so the program is compiled by ts-node
// (Pulumi's own registration, the project's typescript and tsconfig.json) and loaded as CommonJS,
// but against Pulumi's mock monitor instead of a real engine. Plain JavaScript on purpose: no tsx
// or vitest transform may help the program load.
//
// usage: node run-like-pulumi.cjs <project root> <result.json>   (config in PULUMI_CONFIG, as the CLI passes it)
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const [root, resultFile] = process.argv.slice(2);
process.chdir(root);
const pulumi = require(require.resolve('@pulumi/pulumi', { paths: [root] }));
const settings = require(require.resolve('@pulumi/pulumi/runtime/settings', { paths: [root] }));

const resources = [];
const calls = [];
pulumi.runtime.setMocks(
  {
    newResource(args) {
      resources.push({ type: args.type, name: args.name });
      const id = `${args.name}-id`;
      const state = { ...args.inputs };
      if (args.type === 'aws:apigateway/restApi:RestApi') Object.assign(state, { rootResourceId: 'root-id', executionArn: `arn:aws:execute-api:us-east-1:123456789012:${id}` });
      if (args.type === 'aws:apigateway/stage:Stage') state.invokeUrl = `https://${args.inputs.restApi}.execute-api.us-east-1.amazonaws.com/${args.inputs.stageName}`;
      if (args.type === 'aws:apigateway/apiKey:ApiKey') state.value = 'MOCKKEYVALUE0123456789abcdef';
      if (args.type === 'aws:lambda/function:Function') Object.assign(state, { name: `${args.name}-fn`, arn: `arn:aws:lambda:us-east-1:123456789012:function:${args.name}`, invokeArn: 'arn:invoke' });
      if (args.type === 'aws:cloudwatch/logGroup:LogGroup') Object.assign(state, { name: args.inputs.name || `${args.inputs.namePrefix}x`, arn: `arn:aws:logs:us-east-1:123456789012:log-group:${args.name}` });
      if (args.type === 'aws:iam/role:Role' || args.type === 'aws:dynamodb/table:Table') Object.assign(state, { name: `${args.name}-x`, arn: `arn:aws:iam::123456789012:role/${args.name}` });
      return { id, state };
    },
    call(args) {
      calls.push(args.token);
      throw new Error(`unexpected call ${args.token}`);
    },
  },
  process.env.PULUMI_NODEJS_PROJECT || 'koa-apigateway',
  'dev',
  false,
);

process.on("exit", () => {
  // The stack's outputs, as registered (a protobuf Struct; secrets keep their signature).
  const monitor = settings.getMonitor();
  let outputs;
  for (const [urn, r] of monitor.resources) {
    if (urn.endsWith('pulumi:pulumi:Stack::koa-apigateway-dev')) outputs = r.state && r.state.toJavaScript ? r.state.toJavaScript() : r.state;
  }
  fs.writeFileSync(resultFile, JSON.stringify({ resources, calls, outputs, loadedTsNode: Object.keys(require.cache).filter((f) => /ts-node/.test(f)).length > 0 }));
});

process.env.PULUMI_NODEJS_TYPESCRIPT = 'true';
process.argv = [process.argv[0], 'x', '--monitor=mock', '--project=koa-apigateway', '--stack=dev', '.'];
require(require.resolve('@pulumi/pulumi/cmd/run', { paths: [root] }));
