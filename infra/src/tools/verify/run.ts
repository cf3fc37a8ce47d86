import type { ApiDefinition } from '../../core/definition/types';
import { compareDeployed, formatDifference } from '../../core/verify/compare';
import type { Difference } from '../../core/verify/types';
import { readDeployedApi, type DeployedStage, type ReadOptions } from './read';
import type { VerifyTarget } from './target';

/** What verify found: where it looked, the stage's deployment, and each difference (none: the deployed API is the document). */
export interface VerifyReport {
  target: VerifyTarget;
  stage: DeployedStage;
  differences: Difference[];
}

/**
 * Reads the deployed API `target` (readDeployedApi) and compares it with `definition`, the document the
 * program builds for the stack (compareDeployed). Throws what readDeployedApi throws.
 */
export async function verifyDeployed(definition: ApiDefinition, target: VerifyTarget, options: ReadOptions = {}): Promise<VerifyReport> {
  const { api, stage } = await readDeployedApi(target, options);
  return { target, stage, differences: compareDeployed(definition, api) };
}

/** The line that says what was compared: `REST API <id>, stage <stage> (<region>), deployment <id>`. */
export function describeTarget(report: Pick<VerifyReport, 'target' | 'stage'>): string {
  const { restApiId, stage, region } = report.target;
  return `REST API ${restApiId}, stage ${stage} (${region})${report.stage.deploymentId ? `, deployment ${report.stage.deploymentId}` : ''}`;
}

/**
 * Returns the report as lines for a terminal: each difference on its own line (formatDifference), then
 * one line of verdict naming the stack whose document was compared and, on a difference, where recovery is
 * described.
 */
export function formatVerifyReport(report: VerifyReport, stack: string): string[] {
  const subject = describeTarget(report);
  if (report.differences.length === 0) return [`${subject}: the deployed API is the document of stack ${stack}.`];
  const n = report.differences.length;
  return [
    ...report.differences.map(formatDifference),
    `${subject}: ${n} difference${n === 1 ? '' : 's'} from the document of stack ${stack}. pulumi up re-imports the document only when it changes: ` +
      'to repair a half-done import or a change made by hand, see "Recover a half-imported API" in the docs (verify.md).',
  ];
}

/** Returns the report as JSON: the target, the deployment, each difference with its line. */
export function formatVerifyJson(report: VerifyReport): string {
  return JSON.stringify(
    {
      target: report.target,
      deploymentId: report.stage.deploymentId ?? null,
      same: report.differences.length === 0,
      differences: report.differences.map((d) => ({ ...d, line: formatDifference(d) })),
    },
    null,
    2,
  );
}
