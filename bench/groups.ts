import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { loadAppFile } from '../infra/src/app/load';
import { bundleLambda } from '../infra/src/bundle/bundle';
import { planApi } from '../infra/src/core/build-api';
import { FUNCTION_GROUPS, type FunctionGroupName } from '../service/functions/groups';
import { ROOT as PROJECT_ROOT } from './repo';

/** One function's bundle as deployed (index.mjs and its source map, the two files of its archive), with its sizes in bytes. */
export interface BuiltFunction {
  /** `whole` for the single function serving every route (service/lambda.ts), else the group's name. */
  id: FunctionGroupName | 'whole';
  /** The entry bundled, relative to the project root. */
  entry: string;
  /** The runners' private copy of the bundle (its map beside it). */
  file: string;
  bytes: number;
  mapBytes: number;
  gzipBytes: number;
}

/** Bytes of `index.mjs` plus its map: the archive's content uncompressed. */
export const withMap = (f: Pick<BuiltFunction, 'bytes' | 'mapBytes'>): number => f.bytes + f.mapBytes;

/**
 * Returns the whole app's bundle and each function group's (service/functions/groups.ts), each built by
 * `bundleLambda` as `pulumi up` builds it (the group's own entry, with the validators of its routes only: the routes
 * the plan gives the group in a stack with a user pool, where every group has routes), copied where the runners load it.
 */
export async function buildFunctions(): Promise<BuiltFunction[]> {
  const app = loadAppFile(path.join(PROJECT_ROOT, 'app.config.ts'));
  const spec = planApi(app, { userPool: { mode: 'create' } });
  const routesOf = (id: string) => spec.functions.find((f) => f.name === id)?.routes;
  const entries: Array<[BuiltFunction['id'], string | undefined]> = [['whole', undefined], ...Object.entries(FUNCTION_GROUPS).map(([group, g]): [FunctionGroupName, string] => [group as FunctionGroupName, g.lambda])];
  const built: BuiltFunction[] = [];
  for (const [id, entry] of entries) {
    const routes = id === 'whole' ? undefined : routesOf(id);
    if (id !== 'whole' && !routes) throw new Error(`The plan gives the function group ${id} no route: check service/functions/groups.ts against the routes.`);
    const { file: artifact } = await bundleLambda({ root: PROJECT_ROOT, outDir: path.join(PROJECT_ROOT, 'dist', 'bench', 'functions', id), app, entry, ...(routes ? { routes } : {}) });
    const code = await readFile(artifact);
    const map = await readFile(`${artifact}.map`);
    // Runs import a private copy: a test run rebuilding meanwhile cannot hand them a half-written file.
    const file = path.join(PROJECT_ROOT, 'dist', 'bench', 'run', `fn-${id}`, 'index.mjs');
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, code);
    await writeFile(`${file}.map`, map);
    built.push({ id, entry: entry ?? 'service/lambda.ts', file, bytes: code.length, mapBytes: map.length, gzipBytes: gzipSync(code).length });
  }
  return built;
}
