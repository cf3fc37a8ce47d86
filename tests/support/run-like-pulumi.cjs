// Runs a project's Pulumi program the way Pulumi's Node.js language host does: through
// @pulumi/pulumi/cmd/run with PULUMI_NODEJS_TYPESCRIPT=true, so the program is compiled by ts-node
// (Pulumi's own registration, the project's typescript and tsconfig.json) and loaded as CommonJS,
// but against Pulumi's mock monitor instead of a real engine. Plain JavaScript on purpose: no tsx
// or vitest transform may help the program load. Any project: this repository's, or a user's project
// in a temporary folder with the package installed from its tarball (@pulumi/pulumi is the project's own).
//
// usage: node run-like-pulumi.cjs <project root> <result.json>   (config in PULUMI_CONFIG, as the CLI passes it)
// What the Pulumi CLI's Node.js language host takes from the project's Pulumi.yaml is taken from it here: `name`,
// `main` (passed to the runner; else the project folder, whose package.json `main` then applies),
// `runtime.options.tsconfig` (passed as PULUMI_NODEJS_TSCONFIG_PATH), `runtime.options.typescript` (false turns
// Pulumi's ts-node off: PULUMI_NODEJS_TYPESCRIPT) and `runtime.options.nodeargs`, which the CLI gives to the node
// process that runs the runner (`node <nodeargs> run.js`): the caller starts this script so, `node <nodeargs>
// run-like-pulumi.cjs ...` (nodeargs split at whitespace), and it refuses to run without them.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const YAML = require('yaml');

const [root, resultFile] = process.argv.slice(2);
process.chdir(root);
const projectFile = YAML.parse(fs.readFileSync(path.join(root, 'Pulumi.yaml'), 'utf8'));
const project = projectFile.name;
const program = projectFile.main || '.';
const runtimeOptions = (projectFile.runtime && projectFile.runtime.options) || {};
if (runtimeOptions.tsconfig) process.env.PULUMI_NODEJS_TSCONFIG_PATH = runtimeOptions.tsconfig;
const nodeargs = typeof runtimeOptions.nodeargs === 'string' ? runtimeOptions.nodeargs.split(/\s+/).filter(Boolean) : [];
if (nodeargs.join(' ') !== process.execArgv.join(' ')) {
  console.error(`Pulumi.yaml's nodeargs are "${nodeargs.join(' ')}", this process's "${process.execArgv.join(' ')}": start it as node ${nodeargs.join(' ')} run-like-pulumi.cjs <root> <result.json>, as the Pulumi CLI starts its runner.`);
  process.exit(2);
}
const stack = 'dev';
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
  project,
  stack,
  false,
);

process.on('exit', () => {
  // The stack's outputs, as registered (a protobuf Struct; secrets keep their signature).
  const monitor = settings.getMonitor();
  let outputs;
  for (const [urn, r] of monitor.resources) {
    if (urn.endsWith(`pulumi:pulumi:Stack::${project}-${stack}`)) outputs = r.state && r.state.toJavaScript ? r.state.toJavaScript() : r.state;
  }
  fs.writeFileSync(resultFile, JSON.stringify({ project, resources, calls, outputs, loadedTsNode: Object.keys(require.cache).filter((f) => /ts-node/.test(f)).length > 0, execArgv: process.execArgv }));
});

process.env.PULUMI_NODEJS_TYPESCRIPT = String(runtimeOptions.typescript !== false);
process.argv = [process.argv[0], 'x', '--monitor=mock', `--project=${project}`, `--stack=${stack}`, program];
require(require.resolve('@pulumi/pulumi/cmd/run', { paths: [root] }));
