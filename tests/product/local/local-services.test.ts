import { describe, expect, it } from 'vitest';
import { PARCELS, PING } from '../../support/apps';
import { checkApp, loadAppFile } from '../../../infra/src/app/load';
import { startLocal } from '../../../infra/src/local/start';
import { VisibleError } from '../../../infra/src/errors';

/**
 * The ping app (tests/support/apps/ping) with `localServices` replaced, served in the parcels project (its stack
 * files, as KOA_APIGATEWAY_APP would serve it there): what npm start does with what localServices throws.
 */
const withLocalServices = (localServices: () => Promise<undefined>) => checkApp({ ...loadAppFile(PING.descriptor), localServices }, PING.descriptor, 'ping');
const env = (): NodeJS.ProcessEnv => ({ PORT: '0', HOST: '127.0.0.1', API_KEY: 'LocalServicesKey0123456789abc' });

describe("npm start and the descriptor's localServices", () => {
  it('lets a bug in localServices through unchanged: the same error, its stack kept', async () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'port')");
    const started = startLocal({ app: withLocalServices(async () => { throw bug; }), root: PARCELS.dir, env: env(), out: () => {}, err: () => {} });
    await expect(started).rejects.toBe(bug);
    await expect(started).rejects.not.toBeInstanceOf(VisibleError);
  });

  it('passes a user error (a VisibleError from its source) through as it is, to be printed in one line', async () => {
    const mistake = new VisibleError('STORAGE=s3 is not a storage backend: use STORAGE=memory (default) or STORAGE=dynamodb');
    await expect(startLocal({ app: withLocalServices(async () => { throw mistake; }), root: PARCELS.dir, env: env(), out: () => {}, err: () => {} })).rejects.toBe(mistake);
  });
});
