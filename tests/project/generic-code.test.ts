import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectFiles, ROOT } from '../support/files';

/**
 * The product (infra/, runtime/, scripts/) serves any Koa app through its descriptor (app.config.ts,
 * infra/app.ts): it never names the example it ships with (the todo API in service/, its infrastructure in
 * service/infra/), neither in code nor in comments, and never imports from the example's folder.
 */
const GENERIC = ['infra/', 'runtime/', 'scripts/'];
const generic = () => projectFiles().filter((f) => GENERIC.some((dir) => f.startsWith(dir)));

describe('generic code never names the example', () => {
  it('has product files to check', () => {
    expect(generic().length).toBeGreaterThan(50);
  });

  it('no file in infra/, runtime/ or scripts/ says "todo" (any case)', () => {
    const hits = generic().flatMap((file) =>
      readFileSync(path.join(ROOT, file), 'utf8')
        .split('\n')
        .flatMap((line, i) => (/todo/i.test(line) ? [`${file}:${i + 1}: ${line.trim()}`] : [])),
    );
    expect(hits).toEqual([]);
  });

  it("no file in infra/, runtime/ or scripts/ imports from the example's service/ folder", () => {
    const hits = generic().flatMap((file) =>
      [...readFileSync(path.join(ROOT, file), 'utf8').matchAll(/(?:from\s+|require\(\s*|import\(\s*)(['"`])((?:\.\.\/)+service\/[^'"`]*)\1/g)].map((m) => `${file}: ${m[2]}`),
    );
    expect(hits).toEqual([]);
  });
});
