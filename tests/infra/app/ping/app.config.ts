/**
 * A second app for the descriptor tests (tests/infra/app.test.ts): KOA_APIGATEWAY_APP=tests/infra/app/ping/app.config.ts
 * points every script and the Pulumi program at it. Declares one config key of its own, `greeting`.
 */
import { defineApp } from '../../../../infra/app';
import { createPingApp } from './app';

export default defineApp({
  name: 'ping',
  title: 'ping-api',
  version: '2.3.4',
  createApp: () => createPingApp(),
  lambda: 'lambda.ts',
  watch: ['.'],
  settings: { greeting: { description: 'What GET /ping answers under npm start.', default: 'hello', values: ['hello', 'howdy'] } },
  localServices: async ({ env, settings, out }) => {
    env.PING_GREETING = settings.greeting;
    out(`ping: greeting ${settings.greeting}`);
    return { close: async () => out('ping: closed') };
  },
});
