import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { VisibleError } from '../errors';

/** API Gateway's rule for a key value (docs/apigateway-behaviour.md §3.9): 20-128 letters and digits. */
export const API_KEY_PATTERN = /^[A-Za-z0-9]{20,128}$/;

export interface ResolvedApiKey {
  key: string;
  source: 'environment' | 'file' | 'generated';
  /** The file the key is kept in (when not from the environment). */
  file?: string;
}

/**
 * Returns the local API key: `API_KEY` from the environment, else the one kept in `<dir>/api-key`,
 * else a new one written there. Throws, naming the rule, for a value API Gateway would refuse.
 */
export function resolveApiKey(options: { env?: string; dir: string }): ResolvedApiKey {
  if (options.env !== undefined && options.env !== '') {
    if (!API_KEY_PATTERN.test(options.env)) {
      throw new VisibleError(`API_KEY must be 20-128 letters and digits, as API Gateway requires of a key value (got ${options.env.length} characters). Fix: unset API_KEY to use a generated key.`);
    }
    return { key: options.env, source: 'environment' };
  }
  const file = path.join(options.dir, 'api-key');
  if (existsSync(file)) {
    const key = readFileSync(file, 'utf8').trim();
    if (API_KEY_PATTERN.test(key)) return { key, source: 'file', file };
  }
  const key = generateApiKey();
  mkdirSync(options.dir, { recursive: true });
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return { key, source: 'generated', file };
}

/** Returns a new 40-character alphanumeric key. */
export function generateApiKey(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let key = '';
  while (key.length < 40) {
    // 248 is the largest multiple of 62 under 256: bytes above it are skipped, so no modulo bias.
    for (const b of randomBytes(48)) if (b < 248 && key.length < 40) key += alphabet[b % 62];
  }
  return key;
}
