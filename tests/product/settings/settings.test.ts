import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PARCELS } from '../../support/apps';
import { InvalidStackNameError, ProjectFileError, UnknownNamespaceError, UnknownStackError } from '../../../infra/src/errors';
import { parseSettings, settingsWarnings } from '../../../infra/src/settings/parse';
import { assertStackExists, readStackConfig } from '../../../infra/src/settings/stack-files';
import { readStackSettings } from '../../../infra/src/app/load-stack';
import { tempDir } from '../../support/files';

// § numbers: docs/apigateway-behaviour.md.
describe('parseSettings', () => {
  it('applies the documented defaults', () => {
    expect(parseSettings({})).toEqual({
      stageName: 'dev',
      throttle: { rateLimit: 100, burstLimit: 200 },
      stageThrottle: { rateLimit: 1000, burstLimit: 1000 },
      quota: { limit: 10000, period: 'DAY' },
      lambda: { memorySize: 512, timeoutSeconds: 29, architecture: 'arm64', runtime: 'nodejs22.x' },
      logRetentionDays: 7,
      loggingLevel: 'INFO',
      dataTraceEnabled: false,
      metricsEnabled: true,
      corsOrigins: [],
      binaryMediaTypes: [],
      app: {},
      manageCloudWatchRole: 'auto',
      accessLogs: true,
      domain: undefined,
      waf: { enabled: false, rateLimit: 1000 },
    });
  });

  it('reads every key', () => {
    const s = parseSettings({
      stageName: 'prod',
      rateLimit: '5',
      burstLimit: '10',
      stageRateLimit: '50',
      stageBurstLimit: '80',
      quotaLimit: '50',
      quotaPeriod: 'week',
      lambdaMemorySize: '1024',
      lambdaTimeout: '10',
      lambdaArchitecture: 'x86_64',
      lambdaRuntime: 'nodejs24.x',
      logRetentionDays: '30',
      loggingLevel: 'ERROR',
      dataTraceEnabled: 'true',
      metricsEnabled: 'false',
      corsOrigins: 'https://a.example, http://localhost:3000',
      binaryMediaTypes: 'image/png,application/*',
      manageCloudWatchRole: 'true',
      accessLogs: 'false',
      domainName: 'api.example.org',
      certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc-123',
      basePath: 'v1',
      waf: 'true',
      wafRateLimit: '500',
    });
    expect(s).toEqual({
      stageName: 'prod',
      throttle: { rateLimit: 5, burstLimit: 10 },
      stageThrottle: { rateLimit: 50, burstLimit: 80 },
      quota: { limit: 50, period: 'WEEK' },
      lambda: { memorySize: 1024, timeoutSeconds: 10, architecture: 'x86_64', runtime: 'nodejs24.x' },
      logRetentionDays: 30,
      loggingLevel: 'ERROR',
      dataTraceEnabled: true,
      metricsEnabled: false,
      corsOrigins: ['https://a.example', 'http://localhost:3000'],
      binaryMediaTypes: ['image/png', 'application/*'],
      app: {},
      manageCloudWatchRole: true,
      accessLogs: false,
      domain: { name: 'api.example.org', basePath: 'v1', certificate: 'arn', certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc-123' },
      waf: { enabled: true, rateLimit: 500 },
    });
    expect(parseSettings({ manageCloudWatchRole: 'AUTO' }).manageCloudWatchRole).toBe('auto');
    expect(parseSettings({ manageCloudWatchRole: 'false' }).manageCloudWatchRole).toBe(false);
    expect(() => parseSettings({ manageCloudWatchRole: 'sometimes' })).toThrow(/"manageCloudWatchRole" is "sometimes": expected auto, true or false/);
  });

  it.each([
    ['stageName', 'dev stage'],
    ['rateLimit', 'fast'],
    ['rateLimit', '0'],
    ['burstLimit', '1.5'],
    ['stageRateLimit', '0'],
    ['stageBurstLimit', '-1'],
    ['quotaLimit', '0'],
    ['quotaPeriod', 'YEAR'],
    ['lambdaMemorySize', '64'],
    ['lambdaTimeout', '901'],
    ['lambdaArchitecture', 'arm'],
    ['lambdaRuntime', 'nodejs18.x'],
    ['lambdaRuntime', 'python3.12'],
    ['logRetentionDays', '10'],
    ['loggingLevel', 'DEBUG'],
    ['dataTraceEnabled', 'yes'],
    ['corsOrigins', 'https://a.example/path'],
  ])('refuses %s = %j, naming the key in the project\'s namespace, the value and the fix', (key, value) => {
    const attempt = () => parseSettings({ [key]: value }, {}, 'shop-api');
    expect(attempt).toThrow(`"shop-api:${key}" is ${JSON.stringify(value)}`);
    expect(attempt).toThrow(`Fix: pulumi config set ${key}`);
  });

  it('refuses an unknown key, naming the closest known one and the fix', () => {
    expect(() => parseSettings({ ratelimit: '5' }, {}, 'shop-api')).toThrow(/Unknown config key "shop-api:ratelimit" \(did you mean "rateLimit"\?\). Known keys: stageName, rateLimit/);
    expect(() => parseSettings({ rateLimt: '5' })).toThrow('Fix: pulumi config rm rateLimt && pulumi config set rateLimit <value>');
    expect(() => parseSettings({ somethingElse: '5' })).toThrow(/Unknown config key "somethingElse". Known keys: .* Fix: pulumi config rm somethingElse \(/);
  });

  it('warns when the stage throttle is below the usage plan: all clients together would hold one key under its plan (§3.17)', () => {
    const warnings = settingsWarnings(parseSettings({ rateLimit: '500', burstLimit: '600', stageRateLimit: '400', stageBurstLimit: '1000' }), 'shop-api');
    expect(warnings).toEqual([
      'Config "shop-api:stageRateLimit" (400) is below rateLimit (500): the stage throttle counts every client together, so even one API key is held under its usage plan\'s rateLimit. ' +
        'Fix: pulumi config set stageRateLimit 500 (or more: it protects the function and the account, for all clients at once), or lower rateLimit.',
    ]);
    expect(settingsWarnings(parseSettings({ burstLimit: '2000' }))).toEqual([expect.stringMatching(/^Config "stageBurstLimit" \(1000\) is below burstLimit \(2000\)/)]);
    expect(settingsWarnings(parseSettings({ stageRateLimit: '2000', stageBurstLimit: '1500' }))).toEqual([expect.stringMatching(/^Config "stageBurstLimit" \(1500\) is below stageRateLimit \(2000\): the bucket can never hold a full second/)]);
    // The defaults protect in both places without a warning.
    expect(settingsWarnings(parseSettings({}))).toEqual([]);
  });

  it('warns when the Lambda timeout exceeds the gateway timeout of 29 s', () => {
    expect(settingsWarnings(parseSettings({ lambdaTimeout: '60' }))).toEqual([expect.stringMatching(/lambdaTimeout" is 60s but API Gateway stops waiting after 29s/)]);
    expect(settingsWarnings(parseSettings({}))).toEqual([]);
  });
});

describe('readStackSettings', () => {
  it("reads a project's dev stack (the parcels app's): data trace on, defaults elsewhere", () => {
    const s = readStackSettings({ root: PARCELS.dir, app: {} });
    expect(s.dataTraceEnabled).toBe(true);
    expect(s.throttle).toEqual({ rateLimit: 100, burstLimit: 200 });
  });

  it('layers Pulumi.yaml defaults, the stack file, then overrides; ignores other namespaces and secure values', () => {
    const root = tempDir('stack-');
    writeFileSync(path.join(root, 'Pulumi.yaml'), 'name: koa-apigateway\nconfig:\n  rateLimit:\n    type: integer\n    default: 7\n  stageName: beta\n');
    writeFileSync(path.join(root, 'Pulumi.prod.yaml'), 'config:\n  aws:region: eu-west-1\n  koa-apigateway:burstLimit: 9\n  koa-apigateway:corsOrigins:\n    - https://a.example\n  koa-apigateway:stageName:\n    secure: AAABAAA=\n');
    const s = readStackSettings({ root, app: {}, stack: 'prod', overrides: { quotaLimit: '3' } });
    expect(s).toMatchObject({ stageName: 'beta', throttle: { rateLimit: 7, burstLimit: 9 }, quota: { limit: 3, period: 'DAY' }, corsOrigins: ['https://a.example'] });
  });

  it('refuses a stack with no Pulumi.<stack>.yaml instead of reading the defaults, naming the stacks there are', () => {
    const root = tempDir('stack-');
    writeFileSync(path.join(root, 'Pulumi.yaml'), 'name: koa-apigateway\n');
    writeFileSync(path.join(root, 'Pulumi.dev.yaml'), 'config: {}\n');
    writeFileSync(path.join(root, 'Pulumi.staging.yaml'), 'config: {}\n');
    expect(() => readStackSettings({ root, app: {}, stack: 'prd' })).toThrow('Unknown stack "prd": there is no Pulumi.prd.yaml beside Pulumi.yaml (stacks here: dev, staging). Fix:');
    expect(() => readStackSettings({ root, app: {}, stack: 'prd' })).toThrow('pulumi stack init prd');
    expect(readStackSettings({ root, app: {}, stack: 'staging' }).stageName).toBe('dev');
  });

  it('refuses a mistyped key in the stack file (the reader of npm start and npm run synth alike)', () => {
    const root = tempDir('stack-');
    writeFileSync(path.join(root, 'Pulumi.yaml'), 'name: koa-apigateway\n');
    writeFileSync(path.join(root, 'Pulumi.dev.yaml'), 'config:\n  aws:region: eu-west-1\n  koa-apigateway:rateLimt: 5\n');
    expect(() => readStackConfig({ root, app: {} })).toThrow('Unknown config key "koa-apigateway:rateLimt" (did you mean "rateLimit"?)');
    expect(() => readStackSettings({ root, app: {} })).toThrow('Unknown config key "koa-apigateway:rateLimt"');
  });

  it("refuses a key Pulumi.yaml declares and no descriptor does, saying to remove it from Pulumi.yaml (pulumi config rm cannot)", () => {
    const root = tempDir('stack-');
    // Another app's Pulumi.yaml still declaring the example's key.
    writeFileSync(path.join(root, 'Pulumi.yaml'), 'name: koa-apigateway\nconfig:\n  storage:\n    type: string\n    default: dynamodb\n');
    writeFileSync(path.join(root, 'Pulumi.dev.yaml'), 'config: {}\n');
    const declaredOnly = () => readStackConfig({ root, app: {} });
    expect(declaredOnly).toThrow('Unknown config key "koa-apigateway:storage"');
    expect(declaredOnly).toThrow('Fix: remove "storage" from Pulumi.yaml `config:`');
    expect(declaredOnly).not.toThrow(/pulumi config rm/);
    // Set in the stack file too: both places, each with its own fix.
    writeFileSync(path.join(root, 'Pulumi.dev.yaml'), 'config:\n  koa-apigateway:storage: memory\n');
    expect(() => readStackConfig({ root, app: {} })).toThrow(/Fix: remove "storage" from Pulumi\.yaml `config:` .*, and pulumi config rm storage\./);
    // Only in the stack file: pulumi config rm removes it.
    writeFileSync(path.join(root, 'Pulumi.yaml'), 'name: koa-apigateway\n');
    expect(() => readStackConfig({ root, app: {} })).toThrow('Fix: pulumi config rm storage (or edit the stack');
    // The app that declares it reads it.
    expect(readStackConfig({ root, app: { storage: { description: 'x', default: 'dynamodb' } } }).project).toEqual({ storage: 'memory' });
  });

  it('refuses a key under a misspelt project namespace, naming the right key and the fix; leaves providers and others alone', () => {
    const root = tempDir('stack-');
    writeFileSync(path.join(root, 'Pulumi.yaml'), 'name: koa-apigateway\n');
    for (const namespace of ['koa-apigatway', 'koa-api-gateway', 'Koa-ApiGateway', 'koa_apigateway', 'koa-apigateway-pulumi']) {
      writeFileSync(path.join(root, 'Pulumi.dev.yaml'), `config:\n  ${namespace}:rateLimit: 5\n`);
      expect(() => readStackConfig({ root, app: {} }), namespace).toThrow(`Unknown config namespace in "${namespace}:rateLimit" (did you mean "koa-apigateway:rateLimit"?)`);
      expect(() => readStackConfig({ root, app: {} }), namespace).toThrow(`Fix: pulumi config rm ${namespace}:rateLimit && pulumi config set rateLimit <value>`);
    }
    // The same typo through --config (npm run synth) is refused too.
    writeFileSync(path.join(root, 'Pulumi.dev.yaml'), 'config: {}\n');
    expect(() => readStackConfig({ root, app: {}, overrides: { 'koa-apigatway:rateLimit': '5' } })).toThrow(UnknownNamespaceError);
    writeFileSync(path.join(root, 'Pulumi.dev.yaml'), 'config:\n  aws:region: eu-west-1\n  pulumi:tags:\n    team: a\n  cloudflare:apiToken: x\n  koa-apigateway:rateLimit: 5\n');
    expect(readStackConfig({ root, app: {} }).project).toEqual({ rateLimit: '5' });
  });

  it("refuses a key under the package's name in a project named otherwise (copied from the docs): it would be ignored", () => {
    const root = tempDir('stack-');
    writeFileSync(path.join(root, 'Pulumi.yaml'), 'name: r25app\n');
    writeFileSync(path.join(root, 'Pulumi.dev.yaml'), 'config:\n  koa-apigateway:minimumCompressionSize: 100\n');
    expect(() => readStackConfig({ root, app: {} })).toThrow('Unknown config namespace in "koa-apigateway:minimumCompressionSize" (did you mean "r25app:minimumCompressionSize"?)');
    writeFileSync(path.join(root, 'Pulumi.dev.yaml'), 'config:\n  r25app:minimumCompressionSize: 100\n');
    expect(readStackConfig({ root, app: {} }).project).toEqual({ minimumCompressionSize: '100' });
  });

  it("refuses an aws:region that is not the name of an AWS Region, naming it and the fix; takes every Region's shape", () => {
    const root = tempDir('stack-');
    writeFileSync(path.join(root, 'Pulumi.yaml'), 'name: r25app\n');
    for (const typo of ['us-easst-1', 'us-east1', 'useast-1', 'US-EAST-1', 'us-east-1 ', 'eu-west']) {
      writeFileSync(path.join(root, 'Pulumi.dev.yaml'), `config:\n  aws:region: "${typo}"\n`);
      expect(() => readStackConfig({ root, app: {} }), typo).toThrow(`Config "aws:region" is ${JSON.stringify(typo)}: not the name of an AWS Region (such as us-east-1, eu-west-2, ap-southeast-1). Fix: pulumi config set aws:region <region>`);
    }
    for (const region of ['us-east-1', 'eu-west-2', 'ap-southeast-7', 'us-gov-west-1', 'cn-northwest-1', 'us-isob-east-1', 'eu-isoe-west-1', 'eusc-de-east-1', 'mx-central-1', 'ca-west-1']) {
      writeFileSync(path.join(root, 'Pulumi.dev.yaml'), `config:\n  aws:region: ${region}\n`);
      expect(readStackConfig({ root, app: {} }).all['aws:region'], region).toBe(region);
    }
    // A list or a map is no Region's name, though joined it would read as one.
    writeFileSync(path.join(root, 'Pulumi.dev.yaml'), 'config:\n  aws:region: [us-east-1]\n');
    expect(() => readStackConfig({ root, app: {} })).toThrow('Config "aws:region" is "[\\"us-east-1\\"]": not the name of an AWS Region');
    // --config overrides are held to it too.
    writeFileSync(path.join(root, 'Pulumi.dev.yaml'), 'config:\n  aws:region: us-east-1\n');
    expect(() => readStackConfig({ root, app: {}, overrides: { 'aws:region': 'us-wset-2' } })).toThrow('Config "aws:region" is "us-wset-2"');
  });

  it('refuses a top-level key a stack file does not have (a misspelt config: block, a key that lost its indentation), naming it and the fix', () => {
    const root = tempDir('stack-');
    writeFileSync(path.join(root, 'Pulumi.yaml'), 'name: r25app\n');
    writeFileSync(path.join(root, 'Pulumi.dev.yaml'), 'confg:\n  r25app:rateLimit: 5\n');
    expect(() => readStackConfig({ root, app: {} })).toThrow(ProjectFileError);
    expect(() => readStackConfig({ root, app: {} })).toThrow('Pulumi.dev.yaml has a top-level key "confg" (did you mean "config"?), which is not a key of a Pulumi stack file (secretsprovider, encryptedkey, encryptionsalt, config, environment): what it holds would be ignored. Fix: rename it config, then run the command again.');
    writeFileSync(path.join(root, 'Pulumi.dev.yaml'), 'config:\n  r25app:rateLimit: 5\nr25app:burstLimit: 9\n');
    expect(() => readStackConfig({ root, app: {} })).toThrow('has a top-level key "r25app:burstLimit", which is not a key of a Pulumi stack file');
    expect(() => readStackConfig({ root, app: {} })).toThrow('Fix: move it under the `config:` block, indented, or remove it');
    writeFileSync(path.join(root, 'Pulumi.dev.yaml'), '- config\n');
    expect(() => readStackConfig({ root, app: {} })).toThrow('Pulumi.dev.yaml is not a map of settings.');
    writeFileSync(path.join(root, 'Pulumi.dev.yaml'), 'config:\n  - 1\n  - 2\n');
    expect(() => readStackConfig({ root, app: {} })).toThrow("Pulumi.dev.yaml's `config:` is a list, not a map of keys to values. Fix: write each setting as key: value, indented under config:");
    writeFileSync(path.join(root, 'Pulumi.dev.yaml'), 'config: 5\n');
    expect(() => readStackConfig({ root, app: {} })).toThrow("Pulumi.dev.yaml's `config:` is 5, not a map of keys to values.");
    // Every key Pulumi's reference lists is read without complaint; an empty file is no settings.
    writeFileSync(path.join(root, 'Pulumi.dev.yaml'), 'secretsprovider: passphrase\nencryptionsalt: v1:abc\nencryptedkey: x\nenvironment:\n  - env1\nconfig:\n  r25app:rateLimit: 5\n');
    expect(readStackConfig({ root, app: {} }).project).toEqual({ rateLimit: '5' });
    writeFileSync(path.join(root, 'Pulumi.dev.yaml'), '');
    expect(readStackConfig({ root, app: {} }).project).toEqual({});
  });

  it('names the stack file, the line and the fix when it is not valid YAML (a second config: block), with no stack trace', () => {
    const root = tempDir('stack-');
    writeFileSync(path.join(root, 'Pulumi.yaml'), 'name: r25app\n');
    writeFileSync(path.join(root, 'Pulumi.dev.yaml'), 'config:\n  r25app:rateLimit: 5\nconfig:\n  r25app:burstLimit: 5\n');
    let thrown: unknown;
    try {
      readStackConfig({ root, app: {} });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ProjectFileError);
    expect((thrown as Error).message).toMatch(/^Pulumi\.dev\.yaml is not valid YAML \(line 3, column 1\): .*Map keys must be unique.* Fix: correct .*Pulumi\.dev\.yaml/);
  });

  it('refuses a stack name Pulumi refuses (a path), before reading any file and without suggesting pulumi stack init of it', () => {
    const root = tempDir('stack-');
    writeFileSync(path.join(root, 'Pulumi.yaml'), 'name: koa-apigateway\n');
    writeFileSync(path.join(root, 'Pulumi.dev.yaml'), 'config: {}\n');
    for (const stack of ['../dev', 'a/b', 'dev stack', '', 'x'.repeat(101)]) {
      expect(() => readStackConfig({ root, app: {}, stack }), stack).toThrow(InvalidStackNameError);
      expect(() => readStackConfig({ root, app: {}, stack }), stack).not.toThrow(/stack init/);
    }
    expect(() => readStackConfig({ root, app: {}, stack: '../dev' })).toThrow('Invalid stack name "../dev": a Pulumi stack name may only contain letters, digits, hyphens, underscores and periods (at most 100). Fix: name the stack, not a path (--stack dev / STACK=dev).');
    expect(() => readStackConfig({ root, app: {}, stack: 'prod.eu-1_b' })).toThrow(UnknownStackError);
    // npm run conformance / npm run client check the stack themselves.
    expect(() => assertStackExists('../dev', root)).toThrow(/Invalid stack name "\.\.\/dev".*Fix: name the stack, not a path/);
  });

  it('names the key when the stack file holds a bad value', () => {
    const root = tempDir('stack-');
    writeFileSync(path.join(root, 'Pulumi.yaml'), 'name: koa-apigateway\n');
    writeFileSync(path.join(root, 'Pulumi.dev.yaml'), 'config:\n  koa-apigateway:lambdaMemorySize: lots\n');
    expect(() => readStackSettings({ root, app: {} })).toThrow(/"koa-apigateway:lambdaMemorySize" is "lots"/);
  });
});
