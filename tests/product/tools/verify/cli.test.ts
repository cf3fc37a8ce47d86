import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadApi } from '../../../../infra/src/app/load-stack';
import type { ApiDefinition } from '../../../../infra/src/core/definition';
import { loadFixture, PARCELS } from '../../../support/apps';
import { awsResponsesFor, startApiGatewayStub, type ApiGatewayStub, type ApiGatewayResponses } from '../../../support/aws-apigateway';
import { CLI, runProcess } from '../../../support/process';

/**
 * `koa-apigateway verify` end to end, without AWS: the command runs in the parcels project as a user runs it,
 * and reads the deployed API through the AWS SDK from a loopback stand-in of API Gateway's control plane
 * (tests/support/aws-apigateway.ts: the answers shaped as AWS returns them), reached through the SDK's own
 * endpoint variable AWS_ENDPOINT_URL_API_GATEWAY, with credentials from the environment.
 */
const REST_API_ID = 'a1b2c3d4e5';
const STAGE_URL = `https://${REST_API_ID}.execute-api.us-east-1.amazonaws.com/dev`;
const DEPLOYMENT = {
  restApiId: REST_API_ID,
  region: 'us-east-1',
  stage: 'dev',
  invokeArn: 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:parcels-dev-function-7f3a2b1/invocations',
};

let definition: ApiDefinition;
let faithful: ApiGatewayStub;
let planted: ApiGatewayStub;
let home: string;

beforeAll(async () => {
  // The document the command builds in the parcels project (stack dev), deployed as it is.
  definition = loadApi({ root: PARCELS.dir, app: loadFixture(PARCELS), stack: 'dev' }).definition;
  faithful = await startApiGatewayStub(REST_API_ID, 'dev', awsResponsesFor(definition, DEPLOYMENT));
  const withoutKeyword: ApiGatewayResponses = awsResponsesFor(definition, DEPLOYMENT);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  delete (withoutKeyword.export as any).components.schemas.ParcelPatch.additionalProperties;
  planted = await startApiGatewayStub(REST_API_ID, 'dev', withoutKeyword);
  home = mkdtempSync(path.join(tmpdir(), 'verify-cli-'));
});

afterAll(async () => {
  await faithful?.close();
  await planted?.close();
  if (home) rmSync(home, { recursive: true, force: true });
});

/**
 * The environment of a run: this machine's, without any AWS setting or profile of its own (no shared files, no
 * instance metadata), plus `env`.
 */
function awsEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const clean: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('AWS_') && !['STACK', 'INIT_CWD', 'KOA_APIGATEWAY_APP'].includes(k)) clean[k] = v;
  return {
    ...clean,
    AWS_CONFIG_FILE: path.join(home, 'no-config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'no-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    ...env,
  };
}

const CREDENTIALS = { AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE', AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };

async function verify(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  const r = await runProcess(process.execPath, [CLI, 'verify', ...args], { cwd: PARCELS.dir, env: awsEnv(env), timeoutMs: 60_000 });
  return { code: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
}

describe('koa-apigateway verify', () => {
  it('passes a faithful deployment: exit 0, one verdict line; it read the stage, its export with the extensions and every list, signed for the URL’s region', async () => {
    const before = faithful.requests.length;
    const run = await verify(['--url', STAGE_URL], { ...CREDENTIALS, AWS_ENDPOINT_URL_API_GATEWAY: faithful.url });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout.trim()).toBe(`REST API ${REST_API_ID}, stage dev (us-east-1), deployment d3pl0y: the deployed API is the document of stack dev.`);
    expect(run.stderr).toContain(`Verifying REST API ${REST_API_ID}, stage dev (us-east-1) against the document of stack dev`);
    const requests = faithful.requests.slice(before);
    expect(requests.map((r) => r.path)).toEqual([
      `/restapis/${REST_API_ID}/stages/dev`,
      `/restapis/${REST_API_ID}/stages/dev/exports/oas30?extensions=apigateway`,
      `/restapis/${REST_API_ID}/models?limit=500`,
      `/restapis/${REST_API_ID}/requestvalidators?limit=500`,
      `/restapis/${REST_API_ID}/gatewayresponses?limit=500`,
      `/restapis/${REST_API_ID}/authorizers?limit=500`,
      `/restapis/${REST_API_ID}`,
    ]);
    for (const r of requests) {
      expect(r.method).toBe('GET');
      expect(r.accept).toBe('application/json');
      expect(r.authorization).toMatch(new RegExp(`^AWS4-HMAC-SHA256 Credential=${CREDENTIALS.AWS_ACCESS_KEY_ID}/\\d{8}/us-east-1/apigateway/aws4_request`));
    }
  }, 60_000);

  it('names a model keyword removed from the export, and exits 1', async () => {
    const run = await verify(['--url', STAGE_URL], { ...CREDENTIALS, AWS_ENDPOINT_URL_API_GATEWAY: planted.url });
    expect(run.code, run.stderr).toBe(1);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toBe('export #/components/schemas/ParcelPatch/additionalProperties: in the document (false), not deployed');
    expect(lines[1]).toMatch(/^REST API a1b2c3d4e5, stage dev \(us-east-1\), deployment d3pl0y: 1 difference from the document of stack dev\. .*Recover a half-imported API/);
    expect(lines).toHaveLength(2);
  }, 60_000);

  it('--json prints the report alone on stdout, each difference with its line', async () => {
    const run = await verify(['--url', STAGE_URL, '--json', '--endpoint', planted.url], CREDENTIALS);
    expect(run.code, run.stderr).toBe(1);
    const report = JSON.parse(run.stdout) as { target: unknown; same: boolean; differences: Array<{ source: string; pointer: string; expected: unknown; line: string }> };
    expect(report.target).toEqual({ restApiId: REST_API_ID, region: 'us-east-1', stage: 'dev' });
    expect(report.same).toBe(false);
    expect(report.differences).toEqual([expect.objectContaining({ source: 'export', pointer: '/components/schemas/ParcelPatch/additionalProperties', expected: false })]);
  }, 60_000);

  it('reads the stage from the stack’s outputs: --outputs FILE, or the pulumi CLI on PATH', async () => {
    const outputs = path.join(home, 'outputs.json');
    writeFileSync(outputs, JSON.stringify({ url: STAGE_URL, restApiId: REST_API_ID, apiKey: '[secret]' }));
    const fromFile = await verify(['--outputs', outputs], { ...CREDENTIALS, AWS_ENDPOINT_URL_API_GATEWAY: faithful.url });
    expect(fromFile.code, fromFile.stderr).toBe(0);

    // A pulumi on PATH that prints the stack's outputs as `pulumi stack output --json --stack dev` does.
    const bin = path.join(home, 'bin');
    mkdirSync(bin, { recursive: true });
    writeFileSync(
      path.join(bin, 'pulumi'),
      `#!${process.execPath}\nconst a = process.argv.slice(2);\nif (a.join(' ') !== 'stack output --json --stack dev') { console.error('unexpected: ' + a.join(' ')); process.exit(3); }\nconsole.log(JSON.stringify({ url: ${JSON.stringify(STAGE_URL)}, restApiId: ${JSON.stringify(REST_API_ID)} }));\n`,
    );
    chmodSync(path.join(bin, 'pulumi'), 0o755);
    const fromPulumi = await verify([], { ...CREDENTIALS, AWS_ENDPOINT_URL_API_GATEWAY: planted.url, PATH: `${bin}${path.delimiter}${process.env.PATH}` });
    expect(fromPulumi.code, fromPulumi.stderr).toBe(1);
    expect(fromPulumi.stdout).toContain('ParcelPatch/additionalProperties');
  }, 90_000);

  it('without --url and without the pulumi CLI, says what it needs: exit 2 and the usage', async () => {
    const run = await verify([], { ...CREDENTIALS, PATH: path.dirname(process.execPath) });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/the pulumi CLI is not on PATH to read the stack's outputs, so give --url "\$\(pulumi stack output url\)"/);
    expect(run.stderr).toContain('Usage: koa-apigateway verify');
  }, 60_000);

  it('without AWS credentials, says which are needed: exit 2, nothing sent', async () => {
    const before = faithful.requests.length;
    const run = await verify(['--url', STAGE_URL], { AWS_ENDPOINT_URL_API_GATEWAY: faithful.url });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/No AWS credentials to read REST API a1b2c3d4e5 \(stage dev, us-east-1\) with: set AWS_PROFILE \(or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY\)/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(faithful.requests.length).toBe(before);
  }, 60_000);

  it('an API or stage API Gateway does not have is one message naming it: exit 2', async () => {
    const run = await verify(['--url', STAGE_URL.replace('/dev', '/prod')], { ...CREDENTIALS, AWS_ENDPOINT_URL_API_GATEWAY: faithful.url });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/REST API a1b2c3d4e5 \(stage prod, us-east-1\) was not found: Invalid stage identifier specified\. Check the stack's outputs/);
  }, 60_000);

  it('an endpoint nothing answers on is one message naming it: exit 2', async () => {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const run = await verify(['--url', STAGE_URL, '--endpoint', `http://127.0.0.1:${port}`], CREDENTIALS);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`cannot reach API Gateway at http://127.0.0.1:${port}: ECONNREFUSED`);
  }, 60_000);

  it('a --url that is not a stage URL, without --rest-api-id, is refused with the fix', async () => {
    const run = await verify(['--url', 'https://api.example.com/v1'], CREDENTIALS);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--url https://api.example.com/v1 is not a stage URL (https://{id}.execute-api.{region}.amazonaws.com/{stage}): give --url "$(pulumi stack output url)", or --rest-api-id "$(pulumi stack output restApiId)".');
  }, 60_000);
});
