import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Koa from 'koa';
import { describe, expect, it } from 'vitest';
import { type AppDescriptor } from '../../../infra/src/app/descriptor';
import { APP_VARIABLE, checkApp, defaultAppFile, loadApp, loadAppFile } from '../../../infra/src/app/load';
import { AppDescriptorError } from '../../../infra/src/errors';
import { parseSettings } from '../../../infra/src/settings/parse';
import { readStackSettings } from '../../../infra/src/app/load-stack';
import { SettingsError, UnknownSettingError } from '../../../infra/src/errors';
import { VisibleError } from '../../../infra/src/errors';
import { PARCELS, PING as PING_APP } from '../../support/apps';
import { tempDir } from '../../support/files';

const PING = PING_APP.descriptor;
const valid: AppDescriptor = { name: 'ping', title: 'ping-api', version: '1.0.0', createApp: () => { throw new Error('not called'); }, lambda: 'lambda.ts', watch: ['.'] };
const check = (changes: Partial<Record<keyof AppDescriptor, unknown>>) => () => checkApp({ ...valid, ...changes } as AppDescriptor, PING, 'app.config.ts');

describe('loadApp: the app descriptor every script and the program read', () => {
  it("reads app.config.ts at the project root by default (the folder of Pulumi.yaml, from the current directory), paths resolved against it", () => {
    // A user's terminal in their project (the parcels app's): loadApp is synchronous, so the directory is back at once.
    const cwd = process.cwd();
    process.chdir(PARCELS.dir);
    let app: ReturnType<typeof loadApp>;
    try {
      // example-free: in the parcels project (process.chdir above)
      expect(defaultAppFile()).toBe(PARCELS.descriptor);
      // example-free: in the parcels project (process.chdir above)
      app = loadApp({});
    } finally {
      process.chdir(cwd);
    }
    expect(app.file).toBe(PARCELS.descriptor);
    expect(app.lambdaEntry).toBe(path.join(PARCELS.dir, 'lambda.ts'));
    expect(app.watchDirs).toEqual([PARCELS.dir]);
    expect(app.name).toBe('parcels');
    expect(typeof app.createApp).toBe('function');
  });

  it(`reads the descriptor ${APP_VARIABLE} names instead, with its own app, entry, folders and settings`, () => {
    const app = loadApp({ [APP_VARIABLE]: path.relative(process.cwd(), PING) });
    expect(app).toMatchObject({ name: 'ping', title: 'ping-api', version: '2.3.4', lambdaEntry: path.join(path.dirname(PING), 'lambda.ts'), watchDirs: [path.dirname(PING)] });
    expect(Object.keys(app.settings ?? {})).toEqual(['greeting']);
    const routes = app.createApp({ userPool: false }).middleware.length;
    expect(routes).toBeGreaterThan(0);
  });

  it(`names ${APP_VARIABLE} and the fix when its file is missing`, () => {
    const attempt = () => loadApp({ [APP_VARIABLE]: 'nowhere/app.config.ts' });
    expect(attempt).toThrow(AppDescriptorError);
    expect(attempt).toThrow(`${APP_VARIABLE}=nowhere/app.config.ts: no such file`);
    expect(attempt).toThrow(`Fix: point ${APP_VARIABLE} at an app descriptor file`);
  });

  it(`names ${APP_VARIABLE} and the fix when the module exports no descriptor`, () => {
    const file = path.join(PING_APP.dir, 'no-export.ts');
    const attempt = () => loadApp({ [APP_VARIABLE]: file });
    expect(attempt).toThrow(VisibleError);
    expect(attempt).toThrow(`${APP_VARIABLE}=${file}: the module exports no app descriptor. Fix: export default defineApp(`);
  });
});

describe('checkApp: a descriptor is checked when read, naming the field and the fix', () => {
  it('accepts a valid one', () => {
    expect(check({})()).toMatchObject({ name: 'ping', root: path.dirname(PING) });
  });

  it.each<[string, Partial<Record<keyof AppDescriptor, unknown>>, string]>([
    ['name', { name: 'My App' }, '"name" is "My App", not a resource-name prefix. Fix: name it with lower-case letters'],
    ['name', { name: undefined }, '"name" is undefined'],
    ['title', { title: '' }, '"title" is missing. Fix: set title'],
    ['version', { version: undefined }, '"version" is missing. Fix: set version'],
    ['createApp', { createApp: undefined }, '"createApp" is missing (not a function). Fix: set createApp to the function returning your Koa app'],
    ['lambda', { lambda: 'src/missing.ts' }, '"lambda" names src/missing.ts, which does not exist'],
    ['lambda', { lambda: '.' }, `"lambda" names ., which is a directory (${path.dirname(PING)}), not a module file. Fix: name the module file exporting your Lambda \`handler\``],
    ['watch', { watch: [] }, '"watch" is missing. Fix: list the folders koa-apigateway dev watches'],
    ['watch', { watch: ['nope'] }, '"watch" names "nope", which is not a folder'],
    ['settings', { settings: { 'bad-key': { description: 'x', default: 'a' } } }, '"settings.bad-key" is not a config key name'],
    ['settings', { settings: { mode: { description: 'x', default: 'c', values: ['a', 'b'] } } }, '"settings.mode.default" is "c", not one of its values (a, b)'],
  ])('refuses a bad %s', (_, changes, message) => {
    expect(check(changes)).toThrow(AppDescriptorError);
    expect(check(changes)).toThrow(`App descriptor app.config.ts: ${message}`);
  });
});

describe("the app's own config keys, read by the gateway's strict reader", () => {
  const declared = { greeting: { description: 'What to say.', default: 'hello', values: ['hello', 'howdy'] }, motto: { description: 'Free text.', default: '' } } as const;

  it('applies their defaults and returns them in settings.app, values spelt as declared', () => {
    expect(parseSettings({}, declared).app).toEqual({ greeting: 'hello', motto: '' });
    expect(parseSettings({ greeting: 'HOWDY', motto: 'be kind' }, declared).app).toEqual({ greeting: 'howdy', motto: 'be kind' });
  });

  it('refuses a value outside the declared ones, naming the key, the values and the fix', () => {
    const attempt = () => parseSettings({ greeting: 'hi' }, declared, 'shop-api');
    expect(attempt).toThrow(SettingsError);
    expect(attempt).toThrow('Config "shop-api:greeting" is "hi": expected one of hello, howdy. Fix: pulumi config set greeting <value> (or remove it to use the default "hello").');
  });

  it('refuses a key neither the gateway nor the app declares, suggesting the app key it is close to', () => {
    const attempt = () => parseSettings({ greting: 'hello' }, declared);
    expect(attempt).toThrow(UnknownSettingError);
    expect(attempt).toThrow(/Unknown config key "greting" \(did you mean "greeting"\?\)\. Known keys: stageName, .*, greeting, motto\. Fix: pulumi config rm greting && pulumi config set greeting <value>/);
    // Without the declaration the key is unknown too: the app's keys exist only through its descriptor.
    expect(() => parseSettings({ greeting: 'hello' })).toThrow(UnknownSettingError);
  });

  it('refuses an app key that is a gateway setting already', () => {
    expect(() => parseSettings({}, { rateLimit: { description: 'x', default: '1' } })).toThrow('The app declares the config key "rateLimit" (its descriptor\'s settings), which is a gateway setting already.');
  });

  it('checks the keys of a stack file against the app read from the descriptor', () => {
    const root = tempDir('app-settings-');
    writeFileSync(path.join(root, 'Pulumi.yaml'), 'name: koa-apigateway\n');
    // The descriptor every command reads (KOA_APIGATEWAY_APP here: the ping app, which declares `greeting`).
    const saved = process.env[APP_VARIABLE];
    process.env[APP_VARIABLE] = PING;
    try {
      writeFileSync(path.join(root, 'Pulumi.dev.yaml'), 'config:\n  koa-apigateway:greeting: hola\n');
      // Its value is checked, not refused as unknown. example-free: the descriptor is KOA_APIGATEWAY_APP's (above)
      expect(() => readStackSettings({ root })).toThrow('Config "koa-apigateway:greeting" is "hola": expected one of hello, howdy.');
      writeFileSync(path.join(root, 'Pulumi.dev.yaml'), 'config:\n  koa-apigateway:greting: hello\n');
      // example-free: the descriptor is KOA_APIGATEWAY_APP's
      expect(() => readStackSettings({ root })).toThrow('Unknown config key "koa-apigateway:greting" (did you mean "greeting"?)');
      writeFileSync(path.join(root, 'Pulumi.dev.yaml'), 'config:\n  koa-apigateway:greeting: HOWDY\n');
      // example-free: the descriptor is KOA_APIGATEWAY_APP's
      expect(readStackSettings({ root }).app).toEqual({ greeting: 'howdy' });
    } finally {
      if (saved === undefined) delete process.env[APP_VARIABLE];
      else process.env[APP_VARIABLE] = saved;
    }
  });
});

describe("the descriptor's createApp", () => {
  it('a failure in it names the descriptor and createApp, keeps the app\'s own stack and the cause', () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'routes')");
    const app = checkApp({ ...loadAppFile(PING), createApp: () => { throw bug; } }, PING, 'ping.config.ts');
    let thrown: unknown;
    try {
      app.createApp({ userPool: false });
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(Error);
    expect((thrown as Error).message).toBe("App descriptor ping.config.ts: createApp threw TypeError: Cannot read properties of undefined (reading 'routes')");
    expect((thrown as Error).cause).toBe(bug);
    expect((thrown as Error).stack).toContain(bug.stack!.split('\n')[1]!.trim());
  });

  it.each([
    [
      'an async createApp (a Promise)',
      async () => new Koa(),
      'App descriptor ping.config.ts: "createApp" returned a Promise (is it async?), not a Koa app: the routes are read synchronously, by pulumi preview and by every command. Fix: build the app synchronously and return it;',
    ],
    ['an http.Server (app.listen())', () => createServer(), 'App descriptor ping.config.ts: "createApp" returned a Server, not a Koa app. Fix: return the app itself'],
    ['nothing (a forgotten return)', () => undefined, 'App descriptor ping.config.ts: "createApp" returned nothing (undefined), not a Koa app. Fix: return the app itself'],
  ])('%s is refused when it is called, naming the descriptor and the fix', (_, createApp, message) => {
    const app = checkApp({ ...loadAppFile(PING), createApp: createApp as unknown as AppDescriptor['createApp'] }, PING, 'ping.config.ts');
    let thrown: unknown;
    try {
      app.createApp({ userPool: false });
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(AppDescriptorError);
    expect((thrown as Error).message.startsWith(message), (thrown as Error).message).toBe(true);
  });

  it('a user error (VisibleError) in it passes as it is', () => {
    const mistake = new VisibleError('Route GET /x: no such method');
    const app = checkApp({ ...loadAppFile(PING), createApp: () => { throw mistake; } }, PING);
    expect(() => app.createApp({ userPool: false })).toThrow(mistake);
  });
});
