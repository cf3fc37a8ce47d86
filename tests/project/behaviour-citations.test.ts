import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectFiles } from '../support/files';

/**
 * Code and tests cite API Gateway's behaviour by statement number (`§1.12`, `§3.10–§3.13`, `(reference §5)`),
 * meaning docs/apigateway-behaviour.md. Every such citation must name a statement or section that exists
 * there, and every file that cites one must name the document, so a reader can follow it.
 */
const ROOT = path.resolve(__dirname, '../..');
const DOC = 'docs/apigateway-behaviour.md';

/** The numbers the document defines: sections (`## 5.`) and statements (`5.4 ` at a line start). */
export function definedNumbers(doc: string): Set<string> {
  const numbers = new Set<string>();
  for (const m of doc.matchAll(/^## (\d+)\. /gm)) numbers.add(m[1]!);
  for (const m of doc.matchAll(/^(\d+\.\d+) /gm)) numbers.add(m[1]!);
  return numbers;
}

/** The § citations of a source text, leaving out other documents' sections (`RFC 9110 §13.1.1`). */
export function citations(text: string): string[] {
  return [...text.matchAll(/(?<!RFC \d+ )§(\d+(?:\.\d+)?)(?![.\d])/g)].map((m) => m[1]!);
}

const files = projectFiles().filter((f) => /\.(?:ts|mts|md)$/.test(f) && f !== DOC && !f.endsWith('behaviour-citations.test.ts'));

describe(`citations of ${DOC}`, () => {
  const defined = definedNumbers(readFileSync(path.join(ROOT, DOC), 'utf8'));

  it('the document numbers its sections and statements', () => {
    expect(defined.has('1')).toBe(true);
    expect(defined.has('1.12')).toBe(true);
    expect(defined.has('6.10')).toBe(true);
    expect(defined.size).toBeGreaterThan(100);
  });

  it('every § a file cites exists, and the file names the document', () => {
    const problems: string[] = [];
    for (const file of files) {
      const text = readFileSync(path.join(ROOT, file), 'utf8');
      const cited = citations(text);
      if (cited.length === 0) continue;
      if (!text.includes('apigateway-behaviour.md')) problems.push(`${file}: cites §${cited[0]} without naming ${DOC}`);
      for (const n of cited) if (!defined.has(n)) problems.push(`${file}: §${n} is not in ${DOC}`);
    }
    expect(problems).toEqual([]);
  });

  it('the check reads citations as the code writes them', () => {
    expect(citations('(§1.11, §1.12) and §3.10–§3.13, reference §5; RFC 9110 §13.1.1')).toEqual(['1.11', '1.12', '3.10', '3.13', '5']);
    expect(definedNumbers('## 4. Models\n4.16 Header names\n    4.17 indented is not a statement')).toEqual(new Set(['4', '4.16']));
  });
});
