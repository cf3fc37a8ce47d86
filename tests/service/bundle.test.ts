import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleLambda } from '../../infra/bundle';

const dirs: string[] = [];
async function buildTo(): Promise<Awaited<ReturnType<typeof bundleLambda>>> {
  const outDir = await mkdtemp(path.join(tmpdir(), 'bundle-'));
  dirs.push(outDir);
  return bundleLambda({ outDir });
}
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

describe('the Lambda bundle', () => {
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
    expect(code).not.toContain(path.resolve(__dirname, '../..'));
    const map = JSON.parse(await readFile(`${file}.map`, 'utf8')) as { sources: string[] };
    expect(map.sources.some((s) => s.endsWith('service/lambda.ts'))).toBe(true);
    expect(map.sources.every((s) => !path.isAbsolute(s))).toBe(true);
  });

  it('leaves @aws-sdk/* to the Lambda runtime', async () => {
    const { metafile } = await buildTo();
    expect(Object.keys(metafile.inputs).some((input) => input.includes('@aws-sdk/'))).toBe(false);
  });
});
