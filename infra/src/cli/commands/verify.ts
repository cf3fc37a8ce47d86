/**
 * `koa-apigateway verify [--url <stage url>] [--stack dev] [--json]`: reads the deployed REST API through the AWS
 * SDK (the stage's export with API Gateway's extensions, the API's models, validators, gateway responses and
 * authorizers: tools/verify/read.ts) and compares it with the document the program builds for the stack
 * (core/verify), printing each difference on one line. Exit code 0: the deployed API is the document; 1: it
 * differs; 2: usage, configuration, or the API cannot be read (no credentials, refused, not found). See
 * docs/verify.md.
 */
import path from 'node:path';
import { loadApi } from '../../app/load-stack';
import { projectRoot } from '../../project';
import { assertStackExists } from '../../settings/stack-files';
import { formatVerifyJson, formatVerifyReport, verifyDeployed } from '../../tools/verify/run';
import { readOutputsFile, readStackOutputs, resolveTarget, type TargetInput } from '../../tools/verify/target';
import { UsageError, VerifyError, VisibleError } from '../../errors';
import type { Command } from '../command';
import { parseCommandLine } from '../command-line';

const USAGE = `Usage: koa-apigateway verify [--url <stage url>] [options]
  --url URL          the stage's URL: "$(pulumi stack output url)"
  --outputs FILE     the stack's outputs, written by pulumi stack output --json > FILE (url, restApiId)
  --rest-api-id ID   the REST API ("$(pulumi stack output restApiId)"); with a custom domain's --url
  --region REGION    default: the URL's, else the stack's aws:region
  --stage NAME       default: the URL's, else the stack's stageName
  --stack NAME       the Pulumi stack whose settings build the document (default: dev, or STACK); without
                     --url, --outputs or --rest-api-id, its outputs are read with the pulumi CLI
  --endpoint URL     API Gateway's endpoint (default: the region's, or AWS_ENDPOINT_URL_API_GATEWAY)
  --json             print the report as JSON
AWS credentials as for pulumi up (AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY); only apigateway:GET is used.
Exit code 0: the deployed API is the document; 1: it differs (one line per difference); 2: cannot verify.`;

async function run(args: string[]): Promise<number> {
  const values = parseCommandLine({
    url: { type: 'string' },
    outputs: { type: 'string' },
    'rest-api-id': { type: 'string' },
    region: { type: 'string' },
    stage: { type: 'string' },
    stack: { type: 'string' },
    endpoint: { type: 'string' },
    json: { type: 'boolean', default: false },
  }, args);
  if (values.endpoint && !/^https?:\/\//.test(values.endpoint)) throw new UsageError(`--endpoint ${values.endpoint} is not an http(s) URL.`);
  const stack = values.stack ?? process.env.STACK ?? 'dev';
  assertStackExists(stack);
  // The document the program deploys for this stack (the RestApi's body, before the deployed ARNs are known).
  const { definition, settings, region } = loadApi({ stack });

  const input: TargetInput = {
    ...(values.url ? { url: values.url } : {}),
    ...(values['rest-api-id'] ? { restApiId: values['rest-api-id'] } : {}),
    ...(values.region ? { region: values.region } : {}),
    ...(values.stage ? { stage: values.stage } : {}),
  };
  if (values.outputs) input.outputs = readOutputsFile(path.resolve(process.env.INIT_CWD ?? process.cwd(), values.outputs));
  else if (!values.url && !values['rest-api-id']) input.outputs = readStackOutputs(stack, projectRoot());
  const target = resolveTarget(input, { stage: settings.stageName, ...(region ? { region } : {}) });

  process.stderr.write(`Verifying REST API ${target.restApiId}, stage ${target.stage} (${target.region}) against the document of stack ${stack}...\n`);
  const report = await verifyDeployed(definition, target, values.endpoint ? { endpoint: values.endpoint } : {});
  process.stdout.write(`${values.json ? formatVerifyJson(report) : formatVerifyReport(report, stack).join('\n')}\n`);
  return report.differences.length > 0 ? 1 : 0;
}

// A wrong command line gets the usage (the router's default: a UsageError only); the API unreadable (credentials,
// refused, not found) is one message; exit 2. `--help` is the router's (cli/main.ts).
export const command: Command = {
  usage: USAGE,
  run,
  ending: {
    exitCode: (err) => (err instanceof VisibleError || err instanceof VerifyError ? 2 : 1),
  },
};
