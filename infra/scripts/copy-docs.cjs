// Copies the user documentation (the repository's docs/*.md but the contributors' development.md) into the
// package's docs/ (gitignored), so an installed package holds the pages its README links to: `npm pack` runs it
// (`prepack`). Then checks that every relative link of the shipped markdown (README.md, CHANGELOG.md, docs/)
// resolves to a shipped file, its #anchor to a heading there: a page linking outside them (the repository's
// README, a test file) would send the user to a file node_modules/koa-apigateway does not have. Plain CommonJS,
// no dependency, like build.cjs.
'use strict';
const { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');

/** The repository's docs folder, the source of the copy. */
const SOURCE = path.join(root, '..', 'docs');

/** Pages of the repository's docs/ that are not for a user of the package: how to work on the repository. */
const NOT_SHIPPED = new Set(['development.md']);

/** The markdown files the package ships beside docs/ (infra/package.json `files`). */
const SHIPPED_BESIDE = ['README.md', 'CHANGELOG.md'];

/** Returns `markdown` without fenced code blocks and inline code: links and headings there are not links or headings. */
function prose(markdown) {
  return markdown.replace(/^```[\s\S]*?^```$/gm, '').replace(/`[^`\n]*`/g, '');
}

/** Returns the anchors GitHub (and npm's README view) gives a document's headings (as tests/project/doc-links.test.ts reads them). */
function anchors(markdown) {
  const seen = new Map();
  const out = new Set();
  for (const m of markdown.replace(/^```[\s\S]*?^```$/gm, '').matchAll(/^#{1,6} (.+)$/gm)) {
    const text = m[1].replace(/\[([^\]]*)\]\([^)]*\)/g, '$1');
    const slug = text.toLowerCase().trim().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
    const n = seen.get(slug) || 0;
    seen.set(slug, n + 1);
    out.add(n === 0 ? slug : `${slug}-${n}`);
  }
  return out;
}

/** Returns the relative link targets of a markdown document (no scheme, no mailto). */
function relativeLinks(markdown) {
  return [...prose(markdown).matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1]).filter((t) => !/^[a-z][a-z0-9+.-]*:/i.test(t));
}

/**
 * Returns the problems of the markdown files `files` (relative to `dir`, the package): for each relative link,
 * `<file>: <link>: <why>` when its target is not one of `files` or of `others` (the package's other shipped
 * files, relative to `dir`), or its anchor names no heading of the target.
 */
function brokenLinks(dir, files, others = []) {
  const shipped = new Set([...files, ...others]);
  const problems = [];
  for (const file of files) {
    const text = readFileSync(path.join(dir, file), 'utf8');
    for (const link of relativeLinks(text)) {
      const [target, anchor] = link.split('#', 2);
      const resolved = target === '' ? file : path.posix.normalize(path.posix.join(path.posix.dirname(file), decodeURIComponent(target)));
      if (!shipped.has(resolved)) problems.push(`${file}: ${link}: ${resolved} is not in the package`);
      else if (anchor !== undefined && resolved.endsWith('.md') && !anchors(readFileSync(path.join(dir, resolved), 'utf8')).has(anchor)) {
        problems.push(`${file}: ${link}: no heading with that anchor in ${resolved}`);
      }
    }
  }
  return problems;
}

/** Writes `text` to `file` unless it holds it already; through a renamed temporary file, so a concurrent reader never sees half of it. */
function writeIfChanged(file, text) {
  if (existsSync(file) && readFileSync(file, 'utf8') === text) return false;
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, file);
  return true;
}

/**
 * Copies the user pages of `source` into `<dir>/docs` (removing a page no longer there), then checks the links of
 * the package's markdown (see brokenLinks). Returns the shipped pages, relative to `dir`. Throws naming every
 * broken link, or when `source` is missing (the package is packed from this repository only).
 */
function copyDocs({ source = SOURCE, dir = root } = {}) {
  if (!existsSync(source) || !statSync(source).isDirectory()) throw new Error(`koa-apigateway: no docs folder at ${source}: pack the package from its repository (infra/).`);
  const pages = readdirSync(source).filter((name) => name.endsWith('.md') && !NOT_SHIPPED.has(name)).sort();
  const target = path.join(dir, 'docs');
  mkdirSync(target, { recursive: true });
  for (const name of readdirSync(target)) if (!pages.includes(name)) rmSync(path.join(target, name), { recursive: true, force: true });
  for (const name of pages) writeIfChanged(path.join(target, name), readFileSync(path.join(source, name), 'utf8'));
  const markdown = [...SHIPPED_BESIDE.filter((f) => existsSync(path.join(dir, f))), ...pages.map((name) => `docs/${name}`)];
  const problems = brokenLinks(dir, markdown);
  if (problems.length > 0) {
    throw new Error(
      `koa-apigateway: the packed documentation links to what the package does not hold:\n  ${problems.join('\n  ')}\n` +
        'Fix: link only to the shipped pages (README.md, CHANGELOG.md, docs/*.md but development.md), or name the file in plain text.',
    );
  }
  return markdown;
}

module.exports = { copyDocs, brokenLinks, relativeLinks, anchors, NOT_SHIPPED };

if (require.main === module) {
  try {
    copyDocs();
  } catch (err) {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
}
