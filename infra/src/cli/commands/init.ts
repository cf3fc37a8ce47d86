/**
 * `npx koa-apigateway init`: sets up the Koa project in the current folder for koa-apigateway (infra/src/init/init.ts):
 * Pulumi.yaml, Pulumi.dev.yaml, the Pulumi program (index.ts), the app descriptor (app.config.ts), the Lambda entry
 * when the project has none, the npm scripts and .gitignore lines. Never overwrites a file or a script of the
 * project's; run twice, it changes nothing and says so. Prints what it found of the app, what to fill in, the one
 * install command for what is missing, and what to run next. Exit 0 (a project it cannot read: 1, naming the fix).
 */
import { initProject, type InitReport } from '../../init/init';
import type { Command } from '../command';
import { parseCommandLine } from '../command-line';

const USAGE = 'Usage: koa-apigateway init (no arguments: run it in your Koa project\'s folder, the one holding package.json)';

async function run(args: string[]): Promise<void> {
  parseCommandLine({}, args);
  process.stdout.write(formatReport(initProject(process.cwd())));
}

/** Returns what init prints: what it did, what it found, what to fill in and install, and what to run next. */
export function formatReport(report: InitReport): string {
  const header = report.findings.length > 0 ? 'koa-apigateway init: no file written; see below.' : 'koa-apigateway init: nothing to change, this project is set up already (no file written).';
  const lines = [report.unchanged ? header : 'koa-apigateway init:'];
  lines.push(...report.actions.map((a) => `  ${a}`));
  if (report.findings.length > 0) lines.push('', ...report.findings);
  if (report.fillIns.length > 0) {
    lines.push('', 'Fill in (marked FILL IN):', ...report.fillIns.map((f) => `  ${f.file}:${f.line}  ${f.text}`));
  }
  if (report.install) lines.push('', `Install what is missing (${report.installReasons.join('; ')}):`, `  ${report.install}`);
  lines.push('', 'Next:', ...report.next.map((n) => `  ${n}`));
  return `${lines.join('\n')}\n`;
}

export const command: Command = { usage: USAGE, run };
