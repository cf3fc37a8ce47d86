/**
 * The streams app (tests/support/apps/streams/app.ts): routes that write their bodies every way Koa allows, so the
 * tests can build its Lambda bundle and check the bytes arrive as written (issue 25, serverless-http#308).
 */
import { defineApp } from 'koa-apigateway';
import { createStreamsApp } from './app';

export default defineApp({
  name: 'streams',
  title: 'streams-api',
  version: '1.0.0',
  createApp: () => createStreamsApp(),
  lambda: 'lambda.ts',
  watch: ['.'],
});
