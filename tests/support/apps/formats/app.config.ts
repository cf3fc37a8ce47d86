/**
 * The address book's descriptor (infra/src/app/load.ts): KOA_APIGATEWAY_APP=tests/support/apps/formats/app.config.ts
 * points every command at it. Paths are relative to this file.
 */
import { defineApp } from 'koa-apigateway';
import { createFormatsApp } from './app';

export default defineApp({
  name: 'contacts',
  title: 'contacts-api',
  version: '1.0.0',
  createApp: () => createFormatsApp(),
  lambda: 'lambda.ts',
  watch: ['.'],
});
