import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { PARCELS } from '../../support/apps';
import { runProcess, CLI } from '../../support/process';
import { tempDir } from '../../support/files';

/** Runs `npm run token -- ARGS` (infra/src/cli/commands/token.ts) with its issuer keys in a fresh directory. */
async function token(args: string[]) {
  const dir = tempDir('fix15-token-');
  return runProcess(process.execPath, [CLI, 'token', ...args], { cwd: PARCELS.dir, env: { ...process.env, DEV_ISSUER_DIR: dir }, timeoutMs: 60_000 });
}

describe('npm run token', () => {
  it('--scope parcels/read (repeatable) prints an access token carrying exactly those scopes', async () => {
    const run = await token(['--scope', 'parcels/read', '--scope', 'openid']);
    expect(run.status, run.stderr).toBe(0);
    expect(decodeJwt(run.stdout.trim())).toMatchObject({ token_use: 'access', scope: 'parcels/read openid' });
  });

  it.each([['a b'], ['parcels/read parcels/write'], [''], ['/read']])('refuses the scope %j (one scope per --scope, no whitespace, no empty part), naming it, printing no token', async (scope) => {
    const run = await token(['--scope', scope]);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(new RegExp(`--scope ${JSON.stringify(scope).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not one OAuth scope.*Fix: --scope orders/read --scope orders/write`));
  });
});
