import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ProjectFileError } from '../../../infra/src/errors';
import { projectName, readStackConfig } from '../../../infra/src/settings/stack-files';

describe('the stack files reader without a usable Pulumi.yaml', () => {
  const roots: string[] = [];
  const folder = () => {
    const root = mkdtempSync(path.join(tmpdir(), 'stack-files-'));
    roots.push(root);
    return root;
  };
  afterEach(() => {
    for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
  });

  it('refuses a folder with no Pulumi.yaml with a ProjectFileError naming init, not a stack trace of ENOENT', () => {
    const root = folder();
    expect(() => readStackConfig({ root })).toThrow(ProjectFileError);
    expect(() => readStackConfig({ root })).toThrow(`There is no Pulumi.yaml in ${root}`);
    expect(() => projectName(root)).toThrow('Fix: npx koa-apigateway init');
  });

  it('refuses a Pulumi.yaml that names no project: its name is the namespace of the keys', () => {
    const root = folder();
    writeFileSync(path.join(root, 'Pulumi.yaml'), 'runtime: nodejs\n');
    writeFileSync(path.join(root, 'Pulumi.dev.yaml'), 'config: {}\n');
    expect(() => readStackConfig({ root })).toThrow(/Pulumi\.yaml has no `name`.*Fix: add `name: <your project>`/);
  });

  it("reads the project's name and its keys under it", () => {
    const root = folder();
    writeFileSync(path.join(root, 'Pulumi.yaml'), 'name: orders\nruntime: nodejs\n');
    writeFileSync(path.join(root, 'Pulumi.dev.yaml'), 'config:\n  aws:region: eu-west-1\n  orders:rateLimit: 7\n');
    expect(projectName(root)).toBe('orders');
    expect(readStackConfig({ root })).toEqual({ name: 'orders', project: { rateLimit: '7' }, all: { 'aws:region': 'eu-west-1', 'orders:rateLimit': '7' } });
  });
});
