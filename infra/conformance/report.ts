import type { Report } from './run';

const MARK = { pass: 'ok', fail: 'FAIL', known: 'known', skip: 'skip' } as const;

/**
 * Returns the report as a readable table: one row per case (result, operation, case, request,
 * expected, got), then each failure's findings, the known differences met, what is not covered,
 * and a last line `conformance: N passed, N failed, N known, N skipped`.
 */
export function formatTable(report: Report): string {
  const rows = report.results.map((r) => [MARK[r.outcome], r.operationId ?? r.group, r.title, r.request.length > 60 ? `${r.request.slice(0, 57)}...` : r.request, r.expected, r.got.join(',') || '-']);
  const header = ['result', 'operation', 'case', 'request', 'expected', 'got'];
  const widths = header.map((h, i) => Math.min(i === 2 ? 60 : 80, Math.max(h.length, ...rows.map((r) => r[i]!.length))));
  const line = (cells: string[]) => cells.map((c, i) => (c.length > widths[i]! ? `${c.slice(0, widths[i]! - 3)}...` : c.padEnd(widths[i]!))).join('  ').trimEnd();
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
  const notes = [...new Set(report.results.filter((r) => r.outcome !== 'known' && r.note).map((r) => r.note!))];
  if (notes.length) out.push('', 'Notes:', ...notes.map((n) => `  - ${n}`));
  out.push('', 'Not covered:', ...report.notCovered.map((n) => `  - ${n}`));
  if (report.leftBehind.length) out.push('', 'Left behind (delete by hand):', ...report.leftBehind.map((u) => `  - ${u}`));
  const c = report.counts;
  if (report.diagnosis.length) out.push('', ...report.diagnosis.map((d) => `Diagnosis: ${d}`));
  out.push('', `conformance: ${c.pass} passed, ${c.fail} failed, ${c.known} known, ${c.skip} skipped`);
  return out.join('\n');
}

/** Returns the report as JSON for machines: the Report object, the key never included. */
export function formatJson(report: Report): string {
  return JSON.stringify(report, null, 2);
}
