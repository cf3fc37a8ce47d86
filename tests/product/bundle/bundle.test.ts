import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleLambda } from '../../../infra/src/bundle/bundle';
import { loadFixture, PARCELS } from '../../support/apps';
import { apiEvent } from '../../support/events';

const dirs: string[] = [];
async function buildTo(): Promise<Awaited<ReturnType<typeof bundleLambda>>> {
  const outDir = await mkdtemp(path.join(tmpdir(), 'bundle-'));
  dirs.push(outDir);
  return bundleLambda({ app: loadFixture(PARCELS), outDir });
}
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

describe('the Lambda bundle (of the parcels app)', () => {
  it('is deterministic: two builds of the same source are byte-identical, map included', async () => {
    const [a, b] = [await buildTo(), await buildTo()];
    expect(await readFile(a.file)).toEqual(await readFile(b.file));
    expect(await readFile(`${a.file}.map`)).toEqual(await readFile(`${b.file}.map`));
  });

  it('is one ES module exporting handler, with a source map and no absolute paths', async () => {
    const { file } = await buildTo();
    const code = await readFile(file, 'utf8');
    expect(code).toMatch(/export\s*\{[^}]*\bhandler\b[^}]*\}/);
    expect(code).toContain('//# sourceMappingURL=index.mjs.map');
    expect(code).not.toContain(path.resolve(__dirname, '../../..'));
    const map = JSON.parse(await readFile(`${file}.map`, 'utf8')) as { sources: string[] };
    expect(map.sources.some((s) => s.endsWith('tests/support/apps/parcels/lambda.ts'))).toBe(true);
    expect(map.sources.every((s) => !path.isAbsolute(s))).toBe(true);
  });

  it('leaves @aws-sdk/* to the Lambda runtime', async () => {
    const { metafile } = await buildTo();
    expect(Object.keys(metafile.inputs).some((input) => input.includes('@aws-sdk/'))).toBe(false);
  });

  it('deployed with a user pool (USER_POOL_ID set, in Lambda), the token routes answer 200: their schemas have build-time validators too', async () => {
    const { file } = await buildTo();
    const saved = { USER_POOL_ID: process.env.USER_POOL_ID, AWS_LAMBDA_FUNCTION_NAME: process.env.AWS_LAMBDA_FUNCTION_NAME };
    process.env.USER_POOL_ID = 'us-east-1_AbCdEf123';
    process.env.AWS_LAMBDA_FUNCTION_NAME = 'parcels-fn'; // production response checking: the first response of each route is checked
    try {
      const { handler } = (await import(file)) as { handler: (event: unknown, context: unknown) => Promise<{ statusCode: number; body: string }> };
      const claims = { sub: 'user-1', token_use: 'access', scope: 'parcels/read', client_id: 'client-1', username: 'ada' };
      for (const resource of ['/me', '/courier/parcels']) {
        // A method with a user pool authorizer: the verified token's claims in requestContext.authorizer (docs/apigateway-behaviour.md §5.7).
        const event = apiEvent('GET', resource, { authorizer: { claims } });
        const res = await handler(event, { awsRequestId: `a-${resource}`, getRemainingTimeInMillis: () => 29_000 });
        expect(res.statusCode, `${resource}: ${res.body}`).toBe(200);
      }
    } finally {
      for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
    }
  });
});
