import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import { checkApp, loadAppFile } from '../../../infra/src/app/load';
import { AppDescriptorError } from '../../../infra/src/errors';
import { bundleLambda } from '../../../infra/src/bundle/bundle';
import { bundleFunctionGroups } from '../../../infra/src/bundle/groups';
import { PING as PING_APP } from '../../support/apps';
import { tempDir } from '../../support/files';

const PING = PING_APP.descriptor;
const dirs: string[] = [];
const outDir = async () => {
  const dir = tempDir('bundle-entry-');
  dirs.push(dir);
  return dir;
};
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

describe("the descriptor's Lambda entry", () => {
  it('builds when it exports handler (the ping app)', async () => {
    await expect(bundleLambda({ app: loadAppFile(PING), outDir: await outDir() })).resolves.toMatchObject({ file: expect.stringMatching(/index\.mjs$/) });
  });

  it('fails the build, naming "lambda", the module\'s exports and the fix, when it exports no handler', async () => {
    // The Lambda runtime would find no `index.handler`: every invocation of the deployed function would fail.
    const app = checkApp({ ...loadAppFile(PING), lambda: 'no-export.ts' }, PING, 'ping');
    const build = bundleLambda({ app, outDir: await outDir() });
    await expect(build).rejects.toThrow(AppDescriptorError);
    await expect(build).rejects.toThrow(/"lambda" \(no-export\.ts\) exports no handler \(its exports: nothing\).*Fix: export the handler from that module/);
  });

  it("fails a function group's own entry that exports no handler, naming the group, its lambda field and the fix", async () => {
    const app = checkApp({ ...loadAppFile(PING), functions: { pinger: { routes: ['GET /ping'], lambda: 'no-export.ts' } } }, PING, 'ping');
    const builds = bundleFunctionGroups({ app, groups: ['default', 'pinger'], outDir: await outDir() });
    // The default group's bundle is built too: waited for, so it is not written after the folder is removed.
    onTestFinished(() => Promise.allSettled(Object.values(builds)).then(() => undefined));
    const build = builds.pinger!;
    await expect(build).rejects.toThrow(AppDescriptorError);
    await expect(build).rejects.toThrow(/^App descriptor \S*app\.config\.ts: function group "pinger": "functions\.pinger\.lambda" \(no-export\.ts\) exports no handler \(its exports: nothing\)/);
    await expect(build).rejects.toThrow(/Fix: export the handler from that module, .* or point "functions\.pinger\.lambda" at the module that does \(or remove it to use the app's lambda\)\.$/);
  });
});
