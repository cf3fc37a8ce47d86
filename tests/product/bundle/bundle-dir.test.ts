import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUNDLE_DIR_VARIABLE, bundleDirFromEnv } from '../../../infra/src/bundle/bundle';

describe('the bundle folder knob (one variable for pulumi up, npm start and synth)', () => {
  it(`is ${BUNDLE_DIR_VARIABLE}, resolved to an absolute path, with no warning`, () => {
    const warnings: string[] = [];
    expect(BUNDLE_DIR_VARIABLE).toBe('KOA_APIGATEWAY_BUNDLE_DIR');
    expect(bundleDirFromEnv({ KOA_APIGATEWAY_BUNDLE_DIR: 'out/b' }, (l) => warnings.push(l))).toBe(path.resolve('out/b'));
    expect(warnings).toEqual([]);
  });

  it('accepts the old BUNDLE_DIR with one deprecation line naming the new variable', () => {
    const warnings: string[] = [];
    expect(bundleDirFromEnv({ BUNDLE_DIR: '/tmp/old' }, (l) => warnings.push(l))).toBe('/tmp/old');
    expect(warnings).toEqual(['BUNDLE_DIR is deprecated: set KOA_APIGATEWAY_BUNDLE_DIR instead (same meaning).']);
  });

  it('prefers KOA_APIGATEWAY_BUNDLE_DIR when both are set, silently', () => {
    const warnings: string[] = [];
    expect(bundleDirFromEnv({ KOA_APIGATEWAY_BUNDLE_DIR: '/tmp/new', BUNDLE_DIR: '/tmp/old' }, (l) => warnings.push(l))).toBe('/tmp/new');
    expect(warnings).toEqual([]);
  });

  it('leaves the default (dist/lambda) when neither is set or the variable is empty', () => {
    expect(bundleDirFromEnv({}, () => undefined)).toBeUndefined();
    expect(bundleDirFromEnv({ KOA_APIGATEWAY_BUNDLE_DIR: '' }, () => undefined)).toBeUndefined();
  });
});
