/**
 * `npm run conformance -- [--url <stage url> --key <api key>] [--json] [--stack dev] [--openapi file]
 * [--rate 10] [--max-requests 200]`: runs the conformance suite (infra/conformance) against a deployed
 * stage, or, without --url, against the local gateway it starts itself. Exit code 0: conforms;
 * 1: a case failed; 2: usage or configuration error. See docs/conformance.md.
 */
import { parseArgs } from 'node:util';
import { loadApiDocument } from '../infra/conformance/document';
import { todoContract } from '../infra/conformance/example/todos';
import { startLocalGateway, type LocalGateway } from '../infra/conformance/local';
import { formatJson, formatTable } from '../infra/conformance/report';
import { ConformanceError, runConformance } from '../infra/conformance/run';
import { readStackSettings } from '../infra/settings';

const USAGE = `Usage: npm run conformance -- [--url <stage url> --key <api key>] [options]
  --url URL           the stage's base URL, e.g. "$(pulumi stack output url)"; omitted: start the local gateway
  --key KEY           the API key ("$(pulumi stack output apiKey --show-secrets)"); or CONFORMANCE_API_KEY
  --stack NAME        the Pulumi stack whose settings (CORS, quota) apply (default: dev, or STACK)
  --openapi FILE      read the API document from FILE instead of building it from the routes
  --json              print the report as JSON
  --rate N            at most N requests per second (default 10)
  --max-requests N    refuse to run above N requests (default 200)`;

async function main(): Promise<number> {
  // node:util parseArgs: the platform's own argument parser (Node >= 18.3), no dependency needed.
  const { values } = parseArgs({
    options: {
      url: { type: 'string' },
      key: { type: 'string' },
      stack: { type: 'string' },
      openapi: { type: 'string' },
      json: { type: 'boolean', default: false },
      rate: { type: 'string' },
      'max-requests': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const rate = positive(values.rate, '--rate', 10);
  const maxRequests = positive(values['max-requests'], '--max-requests', 200);
  const key = values.key ?? process.env.CONFORMANCE_API_KEY;
  if (values.url && !key) throw new UsageError('--url needs --key (or CONFORMANCE_API_KEY): the API key of the stage.');
  if (values.url && !/^https?:\/\//.test(values.url)) throw new UsageError(`--url ${values.url} is not an http(s) URL: use "$(pulumi stack output url)".`);

  const stack = values.stack ?? process.env.STACK ?? 'dev';
  const settings = readStackSettings({ stack });
  const document = loadApiDocument({ file: values.openapi, stack });
  const say = (line: string) => process.stderr.write(`${line}\n`);

  let local: LocalGateway | undefined;
  if (!values.url) {
    say('No --url: starting the local gateway (as npm start does)...');
    local = await startLocalGateway({ stack });
  }
  try {
    const report = await runConformance({
      document,
      target: values.url ? { baseUrl: values.url, apiKey: key!, local: false } : { baseUrl: local!.baseUrl, apiKey: local!.apiKey, local: true },
      corsOrigins: settings.corsOrigins,
      contracts: [todoContract],
      rate,
      maxRequests,
      quota: settings.quota,
      announce: say,
    });
    process.stdout.write(`${values.json ? formatJson(report) : formatTable(report)}\n`);
    return report.counts.fail > 0 ? 1 : 0;
  } finally {
    await local?.stop();
  }
}

class UsageError extends Error {}

function positive(text: string | undefined, flag: string, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${flag} ${text} is not a positive number.`);
  return n;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    const known = err instanceof UsageError || err instanceof ConformanceError || (err instanceof Error && err.name === 'LocalStartError') || (err as { code?: string })?.code?.startsWith('ERR_PARSE_ARGS');
    process.stderr.write(`npm run conformance: ${known ? (err as Error).message : err instanceof Error ? (err.stack ?? err.message) : String(err)}\n${known ? `\n${USAGE}\n` : ''}`);
    process.exit(2);
  },
);
