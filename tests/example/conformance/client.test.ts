import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateClient } from '../../../infra/src/tools/client/generate';
import { loadApiDocument } from '../../../infra/src/tools/conformance/document';

const ROOT = path.resolve(__dirname, '../../..');

describe("the example's typed client (service/conformance/client.ts, used by its contract)", () => {
  it('is what the document generates (run `npm run client -- --out service/conformance/client.ts` after changing a route)', async () => {
    // The repository's app (app.config.ts, the example) and its dev stack, as `npm run client` reads them here.
    expect(await readFile(path.join(ROOT, 'service/conformance/client.ts'), 'utf8')).toBe(await generateClient(loadApiDocument()));
  });
});
