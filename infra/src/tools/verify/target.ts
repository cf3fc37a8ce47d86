import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { UsageError, VerifyError } from '../../errors';

/** The deployed REST API verify reads: its id, region and stage. */
export interface VerifyTarget {
  restApiId: string;
  region: string;
  stage: string;
}

/**
 * A stage's default URL, as the stack's `url` output holds it (the Stage's `invokeUrl`):
 * `https://{restapi_id}.execute-api.{region}.amazonaws.com/{stage_name}` (developer guide, "Invoke REST APIs
 * in API Gateway"); `.amazonaws.com.cn` in the China regions. A REST API id is 10 lowercase letters and digits.
 */
const STAGE_URL = /^https:\/\/([a-z0-9]{10})\.execute-api\.([a-z]{2}(?:-[a-z]+)+-\d)\.amazonaws\.com(?:\.cn)?\/([^/?#]+)\/?$/;

/** Returns the API id, region and stage a stage URL names; undefined for any other URL (a custom domain, a loopback one). */
export function parseStageUrl(url: string): VerifyTarget | undefined {
  const m = STAGE_URL.exec(url.trim());
  return m ? { restApiId: m[1]!, region: m[2]!, stage: decodeURIComponent(m[3]!) } : undefined;
}

/** What the command line and the stack say of the target; every field optional. */
export interface TargetInput {
  /** A stage URL (`--url`, the stack's `url` output). */
  url?: string;
  restApiId?: string;
  region?: string;
  stage?: string;
  /** The stack's outputs (`pulumi stack output --json`): `url`, `restApiId` read. */
  outputs?: Record<string, unknown>;
}

/**
 * Returns the target: each of id, region and stage from its own flag first, then from the stage URL (the
 * flag's, else the outputs' `url`), then the outputs' `restApiId`, then `defaults` (the stack's
 * `aws:region` and stage name). Throws a UsageError naming what is missing and where to find it.
 */
export function resolveTarget(input: TargetInput, defaults: { stage: string; region?: string }): VerifyTarget {
  const outputUrl = typeof input.outputs?.url === 'string' ? input.outputs.url : undefined;
  const fromUrl = input.url ? parseStageUrl(input.url) : outputUrl ? parseStageUrl(outputUrl) : undefined;
  const outputId = typeof input.outputs?.restApiId === 'string' ? input.outputs.restApiId : undefined;
  const restApiId = input.restApiId ?? fromUrl?.restApiId ?? outputId;
  if (!restApiId) {
    const why = input.url ? `--url ${input.url} is not a stage URL (https://{id}.execute-api.{region}.amazonaws.com/{stage})` : 'no REST API is named';
    throw new UsageError(`${why}: give --url "$(pulumi stack output url)", or --rest-api-id "$(pulumi stack output restApiId)".`);
  }
  const region = input.region ?? fromUrl?.region ?? defaults.region;
  if (!region) throw new UsageError(`The region of REST API ${restApiId} is unknown: give --region, or set aws:region in the stack's file.`);
  return { restApiId, region, stage: input.stage ?? fromUrl?.stage ?? defaults.stage };
}

/** Returns the outputs in `file` (`pulumi stack output --json > file`). Throws a UsageError naming the file. */
export function readOutputsFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`--outputs ${file} cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)}): write it with pulumi stack output --json > ${file}.`);
  }
  try {
    const outputs = JSON.parse(text) as unknown;
    if (typeof outputs === 'object' && outputs !== null && !Array.isArray(outputs)) return outputs as Record<string, unknown>;
  } catch {
    // Refused below.
  }
  throw new UsageError(`--outputs ${file} is not the JSON object pulumi stack output --json prints.`);
}

/**
 * Returns the stack's outputs as the Pulumi CLI prints them (`pulumi stack output --json --stack <stack>`, run in
 * `cwd`). Throws a UsageError when the CLI is not installed (naming the flags that do without it), a VerifyError
 * with the CLI's own message when it fails (not logged in, no such stack).
 */
export function readStackOutputs(stack: string, cwd: string): Record<string, unknown> {
  let text: string;
  try {
    text = execFileSync('pulumi', ['stack', 'output', '--json', '--stack', stack], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT') {
      throw new UsageError(
        'verify needs the deployed API: the pulumi CLI is not on PATH to read the stack\'s outputs, so give --url "$(pulumi stack output url)" ' +
          '(or --outputs FILE from pulumi stack output --json, or --rest-api-id ID --region REGION).',
      );
    }
    throw new VerifyError(`pulumi stack output --json --stack ${stack} failed: ${(e.stderr ?? e.message).trim()}`);
  }
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new VerifyError(`pulumi stack output --json --stack ${stack} printed no JSON: ${text.slice(0, 200)}`);
  }
}
