import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { deployedEnvironment } from '../../bench/measure';
import { LIBRARY } from '../support/apps';
import { ROOT, startProcess, TSX, type Started } from '../support/process';

describe('the bench', () => {
  const bundleDir = mkdtempSync(path.join(tmpdir(), 'bench-child-'));
  let child: Started | undefined;
  afterAll(async () => {
    await child?.stop('SIGTERM');
    rmSync(bundleDir, { recursive: true, force: true });
  });

  it("serves the app its descriptor names (bench/emulator-child.ts reads it as npm start does), not a hard-wired one", async () => {
    // Run in the library project: its own descriptor, not the repository's.
    const env: NodeJS.ProcessEnv = { ...process.env, KOA_APIGATEWAY_BUNDLE_DIR: bundleDir };
    delete env.STACK;
    delete env.KOA_APIGATEWAY_APP;
    child = startProcess(process.execPath, [TSX, path.join(ROOT, 'bench/emulator-child.ts'), '0'], { cwd: LIBRARY.dir, env });
    const stageUrl = (await child.waitFor(/READY (\S+)/, 90_000))[1]!;
    const res = await fetch(`${stageUrl}/status`);
    expect(res.status).toBe(200);
    // A todo route is not the library's: the gateway answers it as an unknown resource (403 without a key).
    expect((await fetch(`${stageUrl}/api/v1/todos`)).status).toBe(403);
  }, 120_000);

  it('BENCHMARKS.md shows the environment the function really gets (functionEnvironment), no variable nothing reads', () => {
    const shown = /as deployed: `(\{[^`]*\})`/.exec(readFileSync(path.join(ROOT, 'BENCHMARKS.md'), 'utf8'))?.[1];
    expect(shown).toBeDefined();
    expect(JSON.parse(shown!)).toEqual(deployedEnvironment());
  });
});
