/**
 * `koa-apigateway conformance [--url <stage url> --key <api key>] [--json] [--stack dev] [--openapi file]
 * [--rate 10] [--max-requests 200] [--rest-api-id ID] [--skip-verify]`: runs the conformance suite
 * (tools/conformance/) against a deployed stage, or, without --url, against the local gateway it starts
 * itself. With a deployed stage it first runs verify (tools/verify/: the deployed API against the document)
 * when it knows the REST API and AWS credentials are at hand. Exit code 0: conforms; 1: a case failed, or
 * the deployed API is not the document; 2: usage or configuration error. See docs/conformance.md.
 */
import path from 'node:path';
import { loadApiDocument } from '../../tools/conformance/document';
import { loadStack } from '../../app/load-stack';
import { assertStackExists } from '../../settings/stack-files';
import type * as Local from '../../tools/conformance/local';
import { formatJson, formatTable } from '../../tools/conformance/report';
import type * as Run from '../../tools/conformance/run';
import { defineApi, planApi } from '../../core/build-api';
import { formatVerifyReport, verifyDeployed } from '../../tools/verify/run';
import { parseStageUrl, resolveTarget } from '../../tools/verify/target';
import { MissingCredentialsError, UnreachableError, UsageError } from '../../errors';
import { prepareUnlessRefused, type Command } from '../command';
import { parseCommandLine } from '../command-line';

const USAGE = `Usage: koa-apigateway conformance [--url <stage url> --key <api key>] [options]
  --url URL           the stage's base URL, e.g. "$(pulumi stack output url)"; omitted: start the local gateway
  --key KEY           the API key ("$(pulumi stack output apiKey --show-secrets)"); or CONFORMANCE_API_KEY
  --stack NAME        the Pulumi stack whose settings (CORS, quota) apply (default: dev, or STACK)
  --openapi FILE      read the API document from FILE instead of building it from the routes
  --json              print the report as JSON
  --rate N            at most N requests per second (default 10)
  --max-requests N    refuse to run above N requests (default 200)
  --rest-api-id ID    the REST API behind --url, for verify when --url is not the stage URL (a custom domain)
  --skip-verify       do not compare the deployed API with the document first (verify)`;

/** The command's flags, for node:util parseArgs (infra/src/cli/command-line.ts): the platform's own argument parser, no dependency needed. */
const FLAGS = {
  url: { type: 'string' },
  key: { type: 'string' },
  stack: { type: 'string' },
  openapi: { type: 'string' },
  json: { type: 'boolean', default: false },
  rate: { type: 'string' },
  'max-requests': { type: 'string' },
  'rest-api-id': { type: 'string' },
  'skip-verify': { type: 'boolean', default: false },
} as const;

/** Loads the suite and the local gateway before tsx is registered (Command.prepare), unless a flag is wrong. */
const prepare = prepareUnlessRefused(
  (args) => parseCommandLine(FLAGS, args),
  () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('../../tools/conformance/run');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('../../tools/conformance/local');
  },
);

async function run(args: string[]): Promise<number> {
  const values = parseCommandLine(FLAGS, args);
  const rate = positive(values.rate, '--rate', 10);
  const maxRequests = positive(values['max-requests'], '--max-requests', 200);
  const key = values.key ?? process.env.CONFORMANCE_API_KEY;
  if (values.url && !key) throw new UsageError('--url needs --key (or CONFORMANCE_API_KEY): the API key of the stage.');
  if (values.url && !/^https?:\/\//.test(values.url)) throw new UsageError(`--url ${values.url} is not an http(s) URL: use "$(pulumi stack output url)".`);

  // Loaded here: the suite's modules take seconds to load, which `--help` and a mistyped flag need not wait for.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { isLoopback, planConformance, runConformance } = require('../../tools/conformance/run') as typeof Run;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { startLocalGateway } = require('../../tools/conformance/local') as typeof Local;
  const stack = values.stack ?? process.env.STACK ?? 'dev';
  assertStackExists(stack);
  const { app, settings, region } = loadStack({ stack });
  // The app's own contracts (its descriptor's), beside the cases generated from the document.
  const contracts = [...(app.contracts ?? [])];
  const document = loadApiDocument({ file: values.openapi && path.resolve(process.env.INIT_CWD ?? process.cwd(), values.openapi), stack });
  const say = (line: string) => process.stderr.write(`${line}\n`);
  // Over budget or an unusable document: refuse before starting anything.
  planConformance({ document, corsOrigins: settings.corsOrigins, contracts, maxRequests });

  // A deployed stage is first compared with the document (docs/verify.md): cases against an API that is not the
  // document would test the wrong thing. Run when the REST API is known (a stage URL, or --rest-api-id) and
  // AWS credentials are at hand; skipped, saying so, without them.
  if (values.url && !values['skip-verify'] && (parseStageUrl(values.url) || values['rest-api-id'])) {
    const target = resolveTarget(
      { url: values.url, ...(values['rest-api-id'] ? { restApiId: values['rest-api-id'] } : {}) },
      { stage: settings.stageName, ...(region ? { region } : {}) },
    );
    const definition = defineApi(planApi(app, settings), app, settings);
    try {
      const report = await verifyDeployed(definition, target);
      for (const line of formatVerifyReport(report, stack)) say(line);
      if (report.differences.length > 0) {
        say('Conformance not run: the deployed API is not the document (--skip-verify runs it anyway).');
        return 1;
      }
    } catch (err) {
      if (!(err instanceof MissingCredentialsError)) throw err;
      say(`Verify skipped: ${err.message}`);
    }
  }

  let local: Local.LocalGateway | undefined;
  if (!values.url) {
    say('No --url: starting the local gateway (as koa-apigateway start does)...');
    local = await startLocalGateway({ stack });
  }
  try {
    const report = await runConformance({
      document,
      // A loopback --url is a local gateway (`koa-apigateway start`): known AWS differences do not excuse it.
      target: values.url ? { baseUrl: values.url, apiKey: key!, local: isLoopback(values.url) } : { baseUrl: local!.baseUrl, apiKey: local!.apiKey, local: true },
      corsOrigins: settings.corsOrigins,
      contracts,
      rate,
      maxRequests,
      quota: settings.quota,
      announce: say,
    });
    const width = process.stdout.isTTY ? process.stdout.columns : undefined;
    process.stdout.write(`${values.json ? formatJson(report) : formatTable(report, width ? { width } : {})}\n`);
    return report.counts.fail > 0 ? 1 : 0;
  } finally {
    await local?.stop();
  }
}

function positive(text: string | undefined, flag: string, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${flag} ${text} is not a positive number.`);
  return n;
}

// An unreachable URL is one line; the usage follows a mistake on the command line only (a UsageError, the
// default), not a stack, a document or a plan the run refused; anything else is a bug: its stack. Exit 2.
export const command: Command = { usage: USAGE, prepare, run, ending: {
  describe: (err) => (err instanceof UnreachableError ? err.message : undefined),
  exitCode: () => 2,
} };
