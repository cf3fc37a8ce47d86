import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { LoadedApp } from '../../../../infra/src/app/descriptor';
import { startLocal, type RunningLocal } from '../../../../infra/src/local/start';
import { generateClient } from '../../../../infra/src/tools/client/generate';
import { loadApiDocument, type OpenApiDocument } from '../../../../infra/src/tools/conformance/document';
import { PARCELS } from '../../../support/apps';
import { ROOT, runProcess } from '../../../support/process';

/** A client generated for a fixture app, in a folder of its own, and the app served by `npm start` (startLocal). */
export interface ClientAgainstLocal<C> {
  /** The folder holding `client.ts` and `type-checks.ts`. */
  dir: string;
  /** The generated client module, imported. */
  client: C;
  local: RunningLocal;
  /** The client's configuration for the local stage: its URL and the key. */
  config: { baseUrl: string; apiKey: string };
  /** Stops the gateway and removes the folder and the bundle. */
  stop(): Promise<void>;
}

/**
 * Generates the client of `app`'s document into `dist/<name>-*` beside `typeChecks` (a module of type checks that
 * imports it), imports it, and starts the app behind the local gateway with `key`. `inspect` sees the document first.
 */
export async function clientAgainstLocal<C>(app: LoadedApp, name: string, key: string, typeChecks: string, inspect: (document: OpenApiDocument) => void = () => {}): Promise<ClientAgainstLocal<C>> {
  await mkdir(path.join(ROOT, 'dist'), { recursive: true });
  const dir = await mkdtemp(path.join(ROOT, 'dist', `${name}-`));
  const bundleDir = path.join(PARCELS.dir, 'dist', 'test-bundles', `${name}-${process.pid}`);
  const document = loadApiDocument({ root: PARCELS.dir, app });
  inspect(document);
  await writeFile(path.join(dir, 'client.ts'), await generateClient(document));
  await writeFile(path.join(dir, 'type-checks.ts'), typeChecks);
  const client = (await import(path.join(dir, 'client.ts'))) as C;
  const local = await startLocal({ root: PARCELS.dir, app, env: { PORT: '0', HOST: '127.0.0.1', API_KEY: key, KOA_APIGATEWAY_BUNDLE_DIR: bundleDir }, out: () => {}, err: () => {}, accessLog: () => {} });
  return {
    dir,
    client,
    local,
    config: { baseUrl: local.stageUrl, apiKey: key },
    stop: async () => {
      await local.stop();
      await rm(dir, { recursive: true, force: true });
      await rm(bundleDir, { recursive: true, force: true });
    },
  };
}

/** Runs tsc with `flags` over the folder's `client.ts` and `type-checks.ts` (ES2022, nodenext, DOM); returns its run. */
export function typeCheckClient(dir: string, flags: readonly string[]): ReturnType<typeof runProcess> {
  const files = [path.join(dir, 'client.ts'), path.join(dir, 'type-checks.ts')];
  const options = ['--noEmit', ...flags, '--target', 'ES2022', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--lib', 'ES2022,DOM', '--types', 'node', '--skipLibCheck'];
  return runProcess(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), ...options, ...files], { cwd: PARCELS.dir, timeoutMs: 120_000 });
}
