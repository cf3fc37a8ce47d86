import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadApi } from '../../../../infra/src/app/load-stack';
import { loadFixture, PARCELS } from '../../../support/apps';
import { awsResponsesFor, startApiGatewayStub, type ApiGatewayStub } from '../../../support/aws-apigateway';
import { CLI, runProcess } from '../../../support/process';

/**
 * `koa-apigateway conformance` against a deployed stage runs verify first (docs/verify.md): the deployed API
 * (read through the AWS SDK from a loopback stand-in of API Gateway, tests/support/aws-apigateway.ts) must be
 * the document before any case is sent. The stage's --url is a loopback port nothing listens on: a run that
 * gets past verify reaches it and ends "cannot connect", one that stops at verify never does.
 */
const REST_API_ID = 'a1b2c3d4e5';
const DEPLOYMENT = {
  restApiId: REST_API_ID,
  region: 'us-east-1',
  stage: 'dev',
  invokeArn: 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:parcels-dev-function-7f3a2b1/invocations',
};
const CREDENTIALS = { AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE', AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };

let faithful: ApiGatewayStub;
let planted: ApiGatewayStub;
let home: string;
let stageUrl: string;

beforeAll(async () => {
  const { definition } = loadApi({ root: PARCELS.dir, app: loadFixture(PARCELS), stack: 'dev' });
  faithful = await startApiGatewayStub(REST_API_ID, 'dev', awsResponsesFor(definition, DEPLOYMENT));
  const other = awsResponsesFor(definition, DEPLOYMENT);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  delete (other.export as any).components.schemas.ParcelPatch.additionalProperties;
  planted = await startApiGatewayStub(REST_API_ID, 'dev', other);
  home = mkdtempSync(path.join(tmpdir(), 'conformance-verify-'));
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  stageUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/dev`;
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

afterAll(async () => {
  await faithful?.close();
  await planted?.close();
  if (home) rmSync(home, { recursive: true, force: true });
});

/** Runs `koa-apigateway conformance` in the parcels project, with no AWS setting of this machine's (no shared files, no instance metadata) but `env`. */
async function conformance(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  const clean: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('AWS_') && !['STACK', 'INIT_CWD', 'KOA_APIGATEWAY_APP', 'CONFORMANCE_API_KEY'].includes(k)) clean[k] = v;
  const r = await runProcess(process.execPath, [CLI, 'conformance', '--key', 'k', ...args], {
    cwd: PARCELS.dir,
    env: { ...clean, AWS_CONFIG_FILE: path.join(home, 'no-config'), AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'no-credentials'), AWS_EC2_METADATA_DISABLED: 'true', ...env },
    timeoutMs: 90_000,
  });
  return { code: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
}

describe('conformance runs verify first against a deployed stage', () => {
  it('a deployed API that is not the document: the difference, no case sent, exit 1', async () => {
    const run = await conformance(['--url', stageUrl, '--rest-api-id', REST_API_ID], { ...CREDENTIALS, AWS_ENDPOINT_URL_API_GATEWAY: planted.url });
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toContain('export #/components/schemas/ParcelPatch/additionalProperties: in the document (false), not deployed');
    expect(run.stderr).toContain('Conformance not run: the deployed API is not the document (--skip-verify runs it anyway).');
    expect(run.stderr).not.toContain('cannot connect');
    expect(run.stdout).toBe('');
  }, 90_000);

  it('a stage URL names the API itself: verified in its region, stopped before any request', async () => {
    const before = planted.requests.length;
    const run = await conformance(['--url', `https://${REST_API_ID}.execute-api.us-east-1.amazonaws.com/dev`], { ...CREDENTIALS, AWS_ENDPOINT_URL_API_GATEWAY: planted.url });
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toContain('ParcelPatch/additionalProperties');
    expect(planted.requests.slice(before)[0]?.authorization).toMatch(/\/us-east-1\/apigateway\/aws4_request/);
  }, 90_000);

  it('the document deployed: verify says so, then the suite goes on to the stage', async () => {
    const run = await conformance(['--url', stageUrl, '--rest-api-id', REST_API_ID], { ...CREDENTIALS, AWS_ENDPOINT_URL_API_GATEWAY: faithful.url });
    expect(run.stderr).toContain(`REST API ${REST_API_ID}, stage dev (us-east-1), deployment d3pl0y: the deployed API is the document of stack dev.`);
    expect(run.stderr).toContain(`cannot connect to ${stageUrl}`);
    expect(run.code).toBe(2);
  }, 90_000);

  it('no AWS credentials: verify skipped, saying what it needs, and the suite goes on', async () => {
    const before = faithful.requests.length;
    const run = await conformance(['--url', stageUrl, '--rest-api-id', REST_API_ID], { AWS_ENDPOINT_URL_API_GATEWAY: faithful.url });
    expect(run.stderr).toMatch(/Verify skipped: No AWS credentials to read REST API a1b2c3d4e5 \(stage dev, us-east-1\) with: set AWS_PROFILE/);
    expect(run.stderr).toContain(`cannot connect to ${stageUrl}`);
    expect(faithful.requests.length).toBe(before);
  }, 90_000);

  it('--skip-verify, or a URL naming no REST API without --rest-api-id: nothing asked of API Gateway', async () => {
    const before = planted.requests.length;
    for (const args of [['--url', stageUrl, '--rest-api-id', REST_API_ID, '--skip-verify'], ['--url', stageUrl]]) {
      const run = await conformance(args, { ...CREDENTIALS, AWS_ENDPOINT_URL_API_GATEWAY: planted.url });
      expect(run.stderr, args.join(' ')).toContain(`cannot connect to ${stageUrl}`);
      expect(run.stderr).not.toMatch(/Verify|ParcelPatch/);
    }
    expect(planted.requests.length).toBe(before);
  }, 90_000);
});
