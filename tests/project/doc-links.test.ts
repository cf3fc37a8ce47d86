import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectFiles, ROOT } from '../support/files';

/** Returns `markdown` without fenced code blocks and inline code (links and headings there are not links or headings). */
function prose(markdown: string): string {
  return markdown.replace(/^```[\s\S]*?^```$/gm, '').replace(/`[^`\n]*`/g, '');
}

/**
 * Returns the anchors GitHub gives a document's headings: lower case, punctuation other than `-` and `_`
 * removed, spaces as `-`, and `-1`, `-2` … on repeats (GitHub's heading ids, as its renderer makes them).
 */
export function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const m of markdown.replace(/^```[\s\S]*?^```$/gm, '').matchAll(/^#{1,6} (.+)$/gm)) {
    const text = m[1]!.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1');
    const slug = text.toLowerCase().trim().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    out.add(n === 0 ? slug : `${slug}-${n}`);
  }
  return out;
}

/** Returns the relative link targets of a markdown document (no scheme, no mailto). */
export function relativeLinks(markdown: string): string[] {
  return [...prose(markdown).matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1]!).filter((t) => !/^[a-z][a-z0-9+.-]*:/i.test(t));
}

const DOCS = ['README.md', ...readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

describe('documentation links', () => {
  it.each(DOCS)('every relative link in %s resolves, #anchors included', (doc) => {
    const text = readFileSync(path.join(ROOT, doc), 'utf8');
    const problems: string[] = [];
    for (const link of relativeLinks(text)) {
      const [file, anchor] = link.split('#', 2) as [string, string | undefined];
      const target = file === '' ? path.join(ROOT, doc) : path.resolve(path.dirname(path.join(ROOT, doc)), decodeURIComponent(file));
      if (path.relative(ROOT, target).startsWith('..')) problems.push(`${link}: outside the repository`);
      else if (!existsSync(target)) problems.push(`${link}: no such file`);
      else if (anchor !== undefined) {
        if (!target.endsWith('.md') || statSync(target).isDirectory()) problems.push(`${link}: an anchor into a file that is not markdown`);
        else if (!anchors(readFileSync(target, 'utf8')).has(anchor)) problems.push(`${link}: no heading with that anchor in ${path.relative(ROOT, target)}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('the docs the code and Pulumi.yaml name exist (e.g. docs/storage.md)', () => {
    const problems: string[] = [];
    for (const file of projectFiles().filter((f) => !f.startsWith('tests/project/') && !f.endsWith('.md'))) {
      for (const m of readFileSync(path.join(ROOT, file), 'utf8').matchAll(/\bdocs\/[\w.-]+\.md(?:#[\w-]+)?/g)) {
        const [doc, anchor] = m[0].split('#') as [string, string | undefined];
        if (!existsSync(path.join(ROOT, doc))) problems.push(`${file}: ${m[0]} does not exist`);
        else if (anchor && !anchors(readFileSync(path.join(ROOT, doc), 'utf8')).has(anchor)) problems.push(`${file}: ${m[0]} has no such heading`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('the checks read markdown as GitHub does', () => {
    expect(anchors("## The account's CloudWatch role\n## `npm run dev`\n```sh\n# not a heading\n```\n## Stacks\n## Stacks")).toEqual(
      new Set(['the-accounts-cloudwatch-role', 'npm-run-dev', 'stacks', 'stacks-1']),
    );
    expect(relativeLinks('[a](docs/x.md#y) [b](https://x.example) `[c](no.md)` [d](#local)')).toEqual(['docs/x.md#y', '#local']);
  });
});
