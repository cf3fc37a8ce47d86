/**
 * `npm run token [-- --scope <scope> ...] [--sub ID] [--username NAME] [--email ADDRESS] [--expires-in SECONDS]`:
 * prints one token signed by the local development issuer (keys in .local/dev-issuer.json, made on first
 * use), for routes that require a user pool token when `npm start` runs with a user pool configured.
 * Without --scope: an ID token (routes without scopes); with --scope (one scope each, repeatable): an access
 * token carrying them. A scope with whitespace or an empty part (`'a b'`, `/read`) is refused (exit 1).
 * The token goes to stdout alone, so `TOKEN=$(npm run -s token)` works; nothing else is printed there.
 */
import path from 'node:path';
import { loadDevIssuer } from '../../local/dev-issuer';
import { VisibleError } from '../../errors';
import { scopeProblem } from '../../core/plan/scopes';
import type { Command } from '../command';
import { UsageError } from '../../errors';
import { parseCommandLine } from '../command-line';
import { projectRoot } from '../../project';

const USAGE = 'Usage: koa-apigateway token [--scope SCOPE ...] [--sub ID] [--username NAME] [--email ADDRESS] [--expires-in SECONDS]';

async function run(args: string[]): Promise<void> {
  const values = parseCommandLine({
    scope: { type: 'string', multiple: true },
    sub: { type: 'string' },
    username: { type: 'string' },
    email: { type: 'string' },
    'expires-in': { type: 'string' },
  }, args);
  const expires = values['expires-in'];
  if (expires !== undefined && !/^-?\d+$/.test(expires)) throw new UsageError(`--expires-in must be a whole number of seconds (got ${JSON.stringify(expires)}).`);
  // One scope per --scope, checked as route declarations are (infra/src/core/plan/scopes.ts): `--scope 'a b'` is refused
  // rather than silently split into two scopes.
  const scopes = values.scope ?? [];
  for (const scope of scopes) {
    const problem = scopeProblem(scope);
    if (problem) throw new VisibleError(`--scope ${JSON.stringify(scope)} is not one OAuth scope: it is ${problem}. Fix: --scope orders/read --scope orders/write (one scope each).`);
  }
  const issuer = await loadDevIssuer(process.env.DEV_ISSUER_DIR || path.join(projectRoot(), '.local'));
  const token = await issuer.sign({
    scopes,
    ...(values.sub ? { sub: values.sub } : {}),
    ...(values.username ? { username: values.username } : {}),
    ...(values.email ? { email: values.email } : {}),
    ...(expires !== undefined ? { expiresInSeconds: Number(expires) } : {}),
  });
  process.stdout.write(`${token}\n`);
}

export const command: Command = { usage: USAGE, run };
