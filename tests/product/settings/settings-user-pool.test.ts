import { describe, expect, it } from 'vitest';
import { checkUserPoolRegion, parseSettings } from '../../../infra/src/settings/parse';
import { SettingsError } from '../../../infra/src/errors';

describe('the userPool setting', () => {
  it('is unset by default: no user pool', () => {
    expect(parseSettings({}).userPool).toBeUndefined();
    expect(parseSettings({ userPool: '' }).userPool).toBeUndefined();
  });

  it('create (any case) creates one', () => {
    expect(parseSettings({ userPool: 'create' }).userPool).toEqual({ mode: 'create' });
    expect(parseSettings({ userPool: 'Create' }).userPool).toEqual({ mode: 'create' });
  });

  it('an existing pool ARN gives its region and pool id', () => {
    expect(parseSettings({ userPool: 'arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbCdEf123' }).userPool).toEqual({
      mode: 'existing',
      arn: 'arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbCdEf123',
      region: 'eu-west-1',
      poolId: 'eu-west-1_AbCdEf123',
    });
  });

  it.each([
    ['yes'],
    ['eu-west-1_AbCdEf123'],
    ['arn:aws:cognito-idp:eu-west-1:123456789012:identitypool/eu-west-1:abc'],
    ['arn:aws:cognito-idp:eu-west-1:12345:userpool/eu-west-1_AbCdEf123'],
  ])('refuses %s, naming the key, the accepted values and the fix', (value) => {
    let error: unknown;
    try {
      parseSettings({ userPool: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SettingsError);
    expect((error as Error).message).toMatch(/Config "userPool" is .*expected "create".*or an existing pool ARN.*Fix: pulumi config set userPool/);
  });

  it('refuses an ARN whose region and pool id prefix differ (no such pool exists), naming both and the fix', () => {
    expect(() => parseSettings({ userPool: 'arn:aws:cognito-idp:eu-west-1:123456789012:userpool/us-east-1_AbCdEf123' })).toThrow(
      /Config "userPool" is .*the ARN's region eu-west-1 is not the region of pool us-east-1_AbCdEf123.*Fix: pulumi config set userPool/,
    );
  });
});

describe('checkUserPoolRegion (the preview check against the stack’s aws:region)', () => {
  const existing = parseSettings({ userPool: 'arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbCdEf123' }).userPool!;

  it('accepts a pool in the stack’s region, a created pool anywhere, and an unknown region (the provider refuses that itself)', () => {
    expect(() => checkUserPoolRegion(existing, 'eu-west-1')).not.toThrow();
    expect(() => checkUserPoolRegion({ mode: 'create' }, 'us-east-1')).not.toThrow();
    expect(() => checkUserPoolRegion(existing, undefined)).not.toThrow();
  });

  it('refuses a pool in another region: the app client and resource servers would be created where the pool is not', () => {
    expect(() => checkUserPoolRegion(existing, 'us-east-1', 'shop-api')).toThrow(
      /Config "shop-api:userPool" is .*a pool in eu-west-1, but the stack deploys to us-east-1 \(aws:region\).*Fix: .*a pool in us-east-1.*or pulumi config set aws:region eu-west-1/,
    );
  });
});
