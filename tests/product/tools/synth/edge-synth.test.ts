import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SynthResult } from '../../../../infra/src/tools/synth/synth';
import { PARCELS } from '../../../support/apps';
import { runProcess, CLI } from '../../../support/process';
import { tempDir } from '../../../support/files';
const ZONE = 'Z0123456789ABCDEFGHIJ';

/** Runs `npm run synth -- <args>` in the parcels project as a user would (a fresh process), bundling into a temporary directory. */
async function synth(args: string[]): Promise<{ stdout: string; stderr: string; status: number | null }> {
  const env = { ...process.env, KOA_APIGATEWAY_BUNDLE_DIR: tempDir('synth-edge-') };
  return runProcess(process.execPath, [CLI, 'synth', ...args], { cwd: PARCELS.dir, env, timeoutMs: 120_000 });
}

// Each test runs the command in its own process with its own bundle folder: they run side by side (concurrent).
describe.concurrent('npm run synth with the edge', () => {
  it('domainOwner false without a basePath fails at preview, naming basePath and the fix', { timeout: 120_000 }, async ({ expect }) => {
    const run = await synth(['--config', 'domainName=api.example.org', '--config', 'domainOwner=false']);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^synth failed: Config "koa-apigateway:basePath" is "": .*Fix: pulumi config set basePath v2/);
  });

  it('domainName + hostedZoneId + waf: certificate, validation, domain, mapping, records, web ACL, association, logging, customUrl', { timeout: 120_000 }, async ({ expect }) => {
    const run = await synth(['--json', '--config', 'domainName=api.example.org', '--config', `hostedZoneId=${ZONE}`, '--config', 'waf=true']);
    expect(run.status, run.stderr).toBe(0);
    const plan = JSON.parse(run.stdout) as SynthResult;
    const types = plan.resources.filter((r) => !r.read).map((r) => r.type);
    for (const type of [
      'aws:acm/certificate:Certificate',
      'aws:acm/certificateValidation:CertificateValidation',
      'aws:apigateway/domainName:DomainName',
      'aws:apigateway/basePathMapping:BasePathMapping',
      'aws:wafv2/webAcl:WebAcl',
      'aws:wafv2/webAclAssociation:WebAclAssociation',
      'aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration',
    ]) {
      expect(types.filter((t) => t === type), type).toHaveLength(1);
    }
    // The validation CNAME and the alias A record.
    expect(plan.resources.filter((r) => r.type === 'aws:route53/record:Record').map((r) => r.inputs.type).sort()).toEqual(['A', 'CNAME']);
    expect(plan.outputs.customUrl).toBe('https://api.example.org');
    expect(plan.outputs.webAclArn).toMatch(/^arn:aws:wafv2:us-east-1:\d{12}:regional\/webacl\//);
  });

  it("the second stack of versions side by side maps /v2 on the first stack's domain and creates no domain", { timeout: 120_000 }, async ({ expect }) => {
    // The second stack's settings as overrides of the dev stack's file (an unknown stack is refused).
    const run = await synth(['--json', '--stack', 'dev', '--config', 'stageName=v2', '--config', 'domainName=api.example.org', '--config', 'domainOwner=false', '--config', 'basePath=v2']);
    expect(run.status, run.stderr).toBe(0);
    const plan = JSON.parse(run.stdout) as SynthResult;
    expect(plan.resources.filter((r) => r.type === 'aws:apigateway/domainName:DomainName')).toEqual([expect.objectContaining({ read: true })]);
    for (const type of ['aws:acm/certificate:Certificate', 'aws:route53/record:Record']) expect(plan.resources.filter((r) => r.type === type)).toEqual([]);
    expect(plan.resources.find((r) => r.type === 'aws:apigateway/basePathMapping:BasePathMapping')!.inputs).toMatchObject({ basePath: 'v2', stageName: 'v2', domainName: 'api.example.org' });
    expect(plan.outputs.customUrl).toBe('https://api.example.org/v2');
  });

  it('a domain without certificate fails the preview, naming the setting and the fix', { timeout: 120_000 }, async ({ expect }) => {
    const run = await synth(['--config', 'domainName=api.example.org']);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('"koa-apigateway:domainName" is "api.example.org": a custom domain needs a certificate. Fix: pulumi config set hostedZoneId');
  });
});
