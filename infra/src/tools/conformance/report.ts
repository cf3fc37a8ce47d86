import type { Report } from './run';

/**
 * A row's result, in the words of the closing count (`passed`, `failed`, `known`, `skipped`): a row and the
 * count it adds to read alike. A failure is in capitals, to be found in a long table.
 */
const MARK = { pass: 'passed', fail: 'FAILED', known: 'known', skip: 'skipped' } as const;

/** Options of formatTable. */
export interface TableOptions {
  /** The terminal's width in columns (default 100): rows are cut to fit, full details follow below the table and in `--json`. */
  width?: number;
}

/**
 * Returns the report as a readable table: one row per case (result, operation, case, request,
 * expected, got) fitted to `width` columns (the widest column is narrowed first; a cell longer than
 * its column wraps onto the row's next lines, nothing is cut), then each failure's findings in full,
 * the known differences met, the notes (each once, with the operations it concerns), what is not covered, and a last line
 * `conformance: N passed, N failed, N known, N skipped (N cases, N requests sent)`.
 */
export function formatTable(report: Report, options: TableOptions = {}): string {
  const rows = report.results.map((r) => [MARK[r.outcome], r.operationId ?? r.group, r.title, r.request, r.expected, r.got.join(',') || '-']);
  const header = ['result', 'operation', 'case', 'request', 'expected', 'got'];
  // The request is cut to one line (its full text is under Failures, and in --json); the rest wrap, up to 3 lines.
  const widths = header.map((h, i) => Math.min(i === 3 ? 36 : i === 5 ? 12 : Infinity, Math.max(h.length, ...rows.map((r) => r[i]!.length))));
  const budget = Math.max(60, options.width ?? 100) - 2 * (header.length - 1);
  // Narrow the widest column (result excepted) until the row fits.
  while (widths.reduce((a, b) => a + b, 0) > budget) {
    const widest = [1, 2, 3, 4, 5].reduce((a, b) => (widths[b]! > widths[a]! ? b : a));
    if (widths[widest]! <= 8) break;
    widths[widest]!--;
  }
  const line = (cells: string[]) => {
    const wrapped = cells.map((c, i) => (i === 3 ? [cut(c, widths[i]!)] : wrap(c, widths[i]!)));
    const height = Math.max(...wrapped.map((w) => w.length));
    return Array.from({ length: height }, (_, n) => wrapped.map((w, i) => (w[n] ?? '').padEnd(widths[i]!)).join('  ').trimEnd()).join('\n');
  };
  const out = [`Target: ${report.baseUrl} (${report.local ? 'local gateway' : 'deployed stage'}); ${report.sent} requests sent.`, '', line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
  const failed = report.results.filter((r) => r.outcome === 'fail');
  if (failed.length) {
    out.push('', 'Failures:');
    for (const r of failed) {
      out.push(`  ${r.id}  (${r.request.length > 100 ? `${r.request.slice(0, 97)}...` : r.request})`);
      for (const f of r.findings) out.push(`    - ${f}`);
    }
  }
  const known = report.results.filter((r) => r.outcome === 'known');
  if (known.length) {
    out.push('', 'Known, accepted differences from the local gateway (not failures):');
    for (const r of known) out.push(`  ${r.id}: ${r.note}`, ...r.findings.map((f) => `    - ${f}`));
  }
  // One line per note; a note several operations share ("undeclared: ...") names them, unless it names its own.
  const notes = new Map<string, string[]>();
  for (const r of report.results.filter((r) => r.outcome !== 'known' && r.note)) {
    const ops = notes.get(r.note!) ?? [];
    if (r.operationId && !r.note!.includes(r.operationId) && !ops.includes(r.operationId)) ops.push(r.operationId);
    notes.set(r.note!, ops);
  }
  if (notes.size) out.push('', 'Notes:', ...[...notes].map(([n, ops]) => `  - ${n}${ops.length ? ` (${ops.join(', ')})` : ''}`));
  out.push('', 'Not covered:', ...report.notCovered.map((n) => `  - ${n}`));
  if (report.leftBehind.length) out.push('', 'Left behind (delete by hand):', ...report.leftBehind.map((u) => `  - ${u}`));
  const c = report.counts;
  if (report.diagnosis.length) out.push('', ...report.diagnosis.map((d) => `Diagnosis: ${d}`));
  // The counts are of cases (the rows); a contract's case sends several requests, so the two numbers differ.
  out.push('', `conformance: ${c.pass} passed, ${c.fail} failed, ${c.known} known, ${c.skip} skipped (${plural(report.results.length, 'case')}, ${plural(report.sent, 'request')} sent)`);
  return out.join('\n');
}

/** `1 case`, `2 cases`. */
function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** Returns the report as JSON for machines: the Report object, the key never included. */
export function formatJson(report: Report): string {
  return JSON.stringify(report, null, 2);
}

/** Returns `text` cut to `width` characters, ending in `...` when cut. */
function cut(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, width - 3)}...` : text;
}

/** Returns `text` in at most 3 lines of at most `width` characters, broken after spaces, commas and slashes, else mid-word; the third line cut with `...`. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let rest = text;
  while (rest.length > width) {
    const head = rest.slice(0, width + 1);
    const at = Math.max(head.lastIndexOf(' '), head.lastIndexOf(',') + 1, head.lastIndexOf('/'));
    const cut = at > 0 ? at : width;
    lines.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  const all = [...lines, rest];
  return all.length <= 3 ? all : [...all.slice(0, 2), cut(`${all[2]} ${all.slice(3).join(' ')}`, width)];
}
