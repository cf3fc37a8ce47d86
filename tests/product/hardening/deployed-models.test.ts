import { expect } from 'vitest';
import { bundleLambda } from '../../../infra/src/bundle/bundle';
import { LIBRARY, loadFixture } from '../../support/apps';
import { createLibraryApp } from '../../support/apps/library/app';
import { describeDeployedModels } from './deployed-models-suite';

// The differential of ./deployed-models-suite.ts on the library fixture app: one function per route group later, every route now.
describeDeployedModels({
  name: 'the library fixture app',
  koa: () => createLibraryApp(),
  bundle: async (outDir) => (await bundleLambda({ app: loadFixture(LIBRARY), outDir })).file,
  undo: async (created, at, headers, send) => {
    const { loanId } = JSON.parse(created) as { loanId?: string };
    if (loanId) expect((await send('DELETE', `${at}/${loanId}`, headers)).status).toBe(204);
  },
});
