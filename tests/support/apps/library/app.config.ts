/**
 * The library app's descriptor (infra/src/app/load.ts), as a user writes theirs to serve their own Koa app:
 * KOA_APIGATEWAY_APP=tests/support/apps/library/app.config.ts points every script (npm start, openapi,
 * synth, ...) and the Pulumi program at it. Paths are relative to this file.
 */
import { defineApp } from 'koa-apigateway';
import { createLibraryApp } from './app';

export default defineApp({
  name: 'library',
  title: 'library-api',
  version: '2.0.0',
  createApp: () => createLibraryApp(),
  lambda: 'lambda.ts',
  watch: ['.'],
});
