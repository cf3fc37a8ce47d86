/**
 * The plain app's descriptor (tests/support/apps/plain/app.ts): a Koa app written without the product,
 * adopted route by route. `routes` declares what its code does not: `GET /status` is public.
 */
import { defineApp } from 'koa-apigateway';
import { createPlainApp } from './app';

export default defineApp({
  name: 'plain',
  title: 'plain-api',
  version: '1.0.0',
  createApp: () => createPlainApp(),
  lambda: 'lambda.ts',
  watch: ['.'],
  routes: {
    'GET /status': { auth: 'public', summary: 'Health', operationId: 'status' },
  },
});
