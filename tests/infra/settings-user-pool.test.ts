import { describe, expect, it } from 'vitest';
import { parseSettings, SettingsError } from '../../infra/settings';

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
    expect((error as Error).message).toMatch(/Config "koa-apigateway:userPool" is .*expected "create".*or an existing pool ARN.*Fix: pulumi config set userPool/);
  });
});
