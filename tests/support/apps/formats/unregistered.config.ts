/**
 * The address book with one more route, whose body declares `format: 'phone'`, which nothing registers:
 * every command that plans it must refuse it (KOA_APIGATEWAY_APP=tests/support/apps/formats/unregistered.config.ts).
 */
import { defineApp } from 'koa-apigateway';
import { createFormatsApp } from './app';

export default defineApp({
  name: 'contacts',
  title: 'contacts-api',
  version: '1.0.0',
  createApp: () => createFormatsApp({ unregisteredFormat: true }),
  lambda: 'lambda.ts',
  watch: ['.'],
});
