import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectFiles, ROOT } from '../support/files';

/**
 * The product (the package in infra/) serves any Koa app through its descriptor (app.config.ts,
 * infra/src/app/load.ts): it never names the example it ships with (the todo API in service/, its infrastructure in
 * service/infra/), neither in code nor in comments, and never imports from the example's folder.
 */
const GENERIC = ['infra/'];
const generic = () => projectFiles().filter((f) => GENERIC.some((dir) => f.startsWith(dir)));

describe('generic code never names the example', () => {
  it('has product files to check', () => {
    expect(generic().length).toBeGreaterThan(50);
  });

  it('no file of the package (infra/) says "todo" (any case)', () => {
    const hits = generic().flatMap((file) =>
      readFileSync(path.join(ROOT, file), 'utf8')
        .split('\n')
        .flatMap((line, i) => (/todo/i.test(line) ? [`${file}:${i + 1}: ${line.trim()}`] : [])),
    );
    expect(hits).toEqual([]);
  });

  it("no file of the package (infra/) imports from the example's service/ folder", () => {
    expect(generic().flatMap((file) => exampleImports(file, readFileSync(path.join(ROOT, file), 'utf8')))).toEqual([]);
  });

  it('the import check sees every form of import: from, require, dynamic import, and a side-effect import', () => {
    const forms = ["import { createApp } from '../service/app';", "require('../../service/app')", "await import('../service/app')", "import '../service/app';", 'import "../../service/todos/routes";'];
    for (const form of forms) expect(exampleImports('infra/x.ts', form), form).toHaveLength(1);
    expect(exampleImports('infra/x.ts', "import { lambdaHandler } from 'koa-apigateway/lambda';")).toEqual([]);
  });

  it("no file of the package (infra/) names a file of the example (service/app.ts, service/todos/, service/infra/, ...)", () => {
    // Generated text too: the validators module written into every bundle names the descriptor, not the example.
    const hits = generic().flatMap((file) =>
      readFileSync(path.join(ROOT, file), 'utf8')
        .split('\n')
        .flatMap((line, i) => (/\bservice\/(?:app\.ts|todos|infra|conformance|account)\b/.test(line) ? [`${file}:${i + 1}: ${line.trim()}`] : [])),
    );
    expect(hits).toEqual([]);
  });
});

/** The imports of `source` (the text of `file`) from the example's service/ folder: `from`, `require(`, `import(` and side-effect `import '...'`. */
function exampleImports(file: string, source: string): string[] {
  return [...source.matchAll(/(?:from\s+|require\(\s*|import\(\s*|import\s+)(['"`])((?:\.\.\/)+service\/[^'"`]*)\1/g)].map((m) => `${file}: ${m[2]}`);
}
