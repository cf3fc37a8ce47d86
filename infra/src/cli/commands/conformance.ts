/**
 * `koa-apigateway conformance [--url <stage url> --key <api key>] [--json] [--stack dev] [--openapi file]
 * [--rate 10] [--max-requests 200]`: runs the conformance suite (tools/conformance/) against a deployed
 * stage, or, without --url, against the local gateway it starts itself. Exit code 0: conforms;
 * 1: a case failed; 2: usage or configuration error. See docs/conformance.md.
 */
import path from 'node:path';
import { loadApiDocument } from '../../tools/conformance/document';
import { loadStack } from '../../app/load-stack';
import { assertStackExists } from '../../settings/stack-files';
import type * as Local from '../../tools/conformance/local';
import { formatJson, formatTable } from '../../tools/conformance/report';
import type * as Run from '../../tools/conformance/run';
import { UnreachableError, UsageError } from '../../errors';
import type { Command } from '../command';
import { parseCommandLine } from '../command-line';

const USAGE = `Usage: koa-apigateway conformance [--url <stage url> --key <api key>] [options]
  --url URL           the stage's base URL, e.g. "$(pulumi stack output url)"; omitted: start the local gateway
  --key KEY           the API key ("$(pulumi stack output apiKey --show-secrets)"); or CONFORMANCE_API_KEY
  --stack NAME        the Pulumi stack whose settings (CORS, quota) apply (default: dev, or STACK)
  --openapi FILE      read the API document from FILE instead of building it from the routes
  --json              print the report as JSON
  --rate N            at most N requests per second (default 10)
  --max-requests N    refuse to run above N requests (default 200)`;

async function run(args: string[]): Promise<number> {
  // node:util parseArgs (infra/src/cli/command-line.ts): the platform's own argument parser, no dependency needed.
  const values = parseCommandLine({
    url: { type: 'string' },
    key: { type: 'string' },
    stack: { type: 'string' },
    openapi: { type: 'string' },
    json: { type: 'boolean', default: false },
    rate: { type: 'string' },
    'max-requests': { type: 'string' },
  }, args);
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
  const { app, settings } = loadStack({ stack });
  // The app's own contracts (its descriptor's), beside the cases generated from the document.
  const contracts = [...(app.contracts ?? [])];
  const document = loadApiDocument({ file: values.openapi && path.resolve(process.env.INIT_CWD ?? process.cwd(), values.openapi), stack });
  const say = (line: string) => process.stderr.write(`${line}\n`);
  // Over budget or an unusable document: refuse before starting anything.
  planConformance({ document, corsOrigins: settings.corsOrigins, contracts, maxRequests });

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
export const command: Command = { usage: USAGE, run, ending: {
  describe: (err) => (err instanceof UnreachableError ? err.message : undefined),
  exitCode: () => 2,
} };
