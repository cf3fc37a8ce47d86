import { describe, expect, it } from 'vitest';
import { formatTable } from '../../../../infra/src/tools/conformance/report';
import type { CaseResult, Outcome, Report } from '../../../../infra/src/tools/conformance/run';

/** A report with one case of each outcome; the contract case sent two requests, so cases and requests differ. */
function report(): Report {
  const result = (outcome: Outcome, id: string, got: number[]): CaseResult => ({
    id,
    group: id === 'contract' ? 'contract' : 'valid',
    operationId: 'getThing',
    title: `the ${outcome} case`,
    request: 'GET /things/1',
    expected: '200',
    got,
    outcome,
    findings: outcome === 'fail' ? ['status: expected 200, got 500'] : [],
    ...(outcome === 'known' ? { note: 'Known: a difference' } : outcome === 'skip' ? { note: 'getThing: skipped, no value' } : {}),
  });
  const results = [result('pass', 'a', [200]), result('fail', 'b', [500]), result('known', 'c', [400]), result('skip', 'd', []), result('pass', 'contract', [201, 200])];
  return {
    baseUrl: 'https://abc.execute-api.eu-west-1.amazonaws.com/dev',
    local: false,
    planned: 10,
    sent: 6,
    results,
    counts: { pass: 2, fail: 1, known: 1, skip: 1 },
    leftBehind: [],
    notCovered: ['Throttling'],
    diagnosis: [],
  };
}

describe('the conformance table reads as its count (infra/src/tools/conformance/report.ts)', () => {
  const table = formatTable(report());
  const rows = table.split('\n').slice(3).filter((line) => /^\S/.test(line) && !line.startsWith('-'));

  it("each row's result is the word its count uses: passed, FAILED, known, skipped", () => {
    expect(rows.slice(0, 5).map((row) => row.split(/\s+/)[0])).toEqual(['passed', 'FAILED', 'known', 'skipped', 'passed']);
  });

  it('the last line counts the cases by outcome, then says how many cases and requests that was', () => {
    expect(table.trimEnd().split('\n').at(-1)).toBe('conformance: 2 passed, 1 failed, 1 known, 1 skipped (5 cases, 6 requests sent)');
  });

  it('one case, one request: singular', () => {
    const one = { ...report(), sent: 1, results: [report().results[0]!], counts: { pass: 1, fail: 0, known: 0, skip: 0 } };
    expect(formatTable(one).trimEnd().split('\n').at(-1)).toBe('conformance: 1 passed, 0 failed, 0 known, 0 skipped (1 case, 1 request sent)');
  });
});
