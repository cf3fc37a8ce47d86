import { cpSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** This folder: the shop project's sources. */
export const SHOP = __dirname;

/** The repository's node_modules, where `koa-apigateway` links to the package (infra/). */
const NODE_MODULES = path.resolve(__dirname, '../../../../node_modules');

/**
 * Returns a fresh copy of the shop project in a new temporary folder, with the repository's node_modules
 * linked in (so `koa-apigateway`, koa and the peers resolve as in a user's project): the commands run there
 * write their `.local/`, `dist/` and `openapi.json` into it, never into the repository. The caller removes it.
 */
export function copyShop(): string {
  const copy = mkdtempSync(path.join(tmpdir(), 'shop-'));
  cpSync(SHOP, copy, { recursive: true, filter: (source) => path.basename(source) !== 'copy.ts' });
  symlinkSync(NODE_MODULES, path.join(copy, 'node_modules'), 'dir');
  return copy;
}
