import { rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { bundleLambda } from '../../../../infra/src/bundle/bundle';
import type { LoadedApp } from '../../../../infra/src/app/descriptor';
import { buildApiDocument, type OpenApiDocument } from '../../../../infra/src/tools/conformance/document';
import { runConformance, type Report } from '../../../../infra/src/tools/conformance/run';
import { bundleHandlerLoader, type LambdaHandler } from '../../../../infra/src/local/integration';
import type { GatewaySettings } from '../../../../infra/src/settings/types';
import { buildGatewaySpec } from '../../../../infra/src/core/plan';
import { binaryMediaTypesOf } from '../../../../infra/src/core/plan/binary';
import { BINARY_MEDIA_TYPES_VARIABLE } from '../../../../infra/src/lambda/binary';
import type { GatewaySpec } from '../../../../infra/src/core/plan/types';
import { loadFixture, PARCELS } from '../../../support/apps';
import { API_KEY, bundleDir, startGateway } from '../../local/support/gateway';

/** The real bundle (of `app`, default the parcels app), built once per test file into its own folder, and a way to remove it. */
export async function buildBundle(name: string, app: LoadedApp = loadFixture(PARCELS)): Promise<{ file: string; remove(): Promise<void> }> {
  const dir = await bundleDir(name);
  const bundle = await bundleLambda({ outDir: dir, app });
  return { file: bundle.file, remove: () => rm(dir, { recursive: true, force: true }) };
}

export interface SuiteRun {
  /** The app served and tested, by its descriptor: its routes, document and contracts (default: the parcels app). */
  app?: LoadedApp;
  spec?: (spec: GatewaySpec) => GatewaySpec;
  handler?: (real: LambdaHandler) => LambdaHandler;
  settings: GatewaySettings;
  bundleFile: string;
  /** The key the suite sends (default: the gateway's). */
  apiKey?: string;
  document?: OpenApiDocument;
  /** The CORS origins the suite is told the stack has (default: the gateway's own settings). */
  corsOrigins?: string[];
  /** Run as against a deployed stage: known AWS differences are reported as such (default: local). */
  remote?: boolean;
  /** Changes the base URL the suite is given (e.g. drops the stage: a user's wrong --url). */
  baseUrl?: (stageUrl: string) => string;
  /** Rewrites the body of each gateway response (those with x-amzn-ErrorType) on the wire: a changed template. */
  rewriteGatewayBody?: (body: string) => string;
}

/**
 * Starts a loopback proxy to `target` (a stage URL) that passes everything through, except that the
 * bodies of API Gateway's own responses are rewritten: what a changed gateway response template does.
 */
async function rewritingProxy(target: string, rewrite: (body: string) => string): Promise<{ url: string; close(): Promise<void> }> {
  const upstream = new URL(target);
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = Object.fromEntries(Object.entries(req.headers).filter(([name]) => name !== 'host' && name !== 'content-length')) as Record<string, string>;
    const answer = await fetch(`${upstream.origin}${req.url}`, { method: req.method, headers, ...(chunks.length ? { body: Buffer.concat(chunks) } : {}) });
    const text = await answer.text();
    const body = answer.headers.get('x-amzn-errortype') ? rewrite(text) : text;
    answer.headers.forEach((value, name) => {
      if (name !== 'content-length' && name !== 'content-encoding' && name !== 'transfer-encoding') res.setHeader(name, value);
    });
    res.statusCode = answer.status;
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${upstream.pathname}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * Runs the whole suite (generated cases and the app's contracts) against a local gateway serving the app's real
 * spec (or `spec` of it: a planted fault) and the real bundle (or `handler` around it). The app defaults to the parcels app.
 */
export async function runAgainstLocal(run: SuiteRun): Promise<Report> {
  const app = run.app ?? loadFixture(PARCELS);
  const real = buildGatewaySpec(app.createApp({ userPool: run.settings.userPool !== undefined }), app.routes);
  const loader = bundleHandlerLoader(run.bundleFile);
  // The function's BINARY_MEDIA_TYPES, as the deployment sets it (its lambdaHandler reads it when the bundle loads, here
  // at the first request): the bundle runs in this process, so the variable is set for the run and restored after.
  const binary = binaryMediaTypesOf(run.spec ? run.spec(structuredClone(real)) : real, run.settings.binaryMediaTypes);
  const savedBinary = process.env[BINARY_MEDIA_TYPES_VARIABLE];
  if (binary.length > 0) process.env[BINARY_MEDIA_TYPES_VARIABLE] = binary.join(',');
  const gateway = await startGateway({
    spec: run.spec ? run.spec(structuredClone(real)) : real,
    settings: run.settings,
    handler: run.handler ? run.handler(loader.handler) : loader.handler,
  });
  const proxy = run.rewriteGatewayBody ? await rewritingProxy(gateway.url, run.rewriteGatewayBody) : undefined;
  try {
    return await runConformance({
      document: run.document ?? buildApiDocument(app, run.settings),
      target: { baseUrl: (run.baseUrl ?? ((u: string) => u))(proxy?.url ?? gateway.url), apiKey: run.apiKey ?? API_KEY, local: !run.remote },
      corsOrigins: run.corsOrigins ?? run.settings.corsOrigins,
      contracts: [...(app.contracts ?? [])],
      rate: 1000,
    });
  } finally {
    await proxy?.close();
    await gateway.close();
    if (savedBinary === undefined) delete process.env[BINARY_MEDIA_TYPES_VARIABLE];
    else process.env[BINARY_MEDIA_TYPES_VARIABLE] = savedBinary;
  }
}

/** Returns the ids of the failed cases, with their findings, for readable assertions. */
export function failures(report: Report): Record<string, string[]> {
  return Object.fromEntries(report.results.filter((r) => r.outcome === 'fail').map((r) => [r.id, r.findings]));
}
