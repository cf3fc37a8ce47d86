import { defineApp } from 'koa-apigateway';
import { createShopApp } from './app';

/** The shop's descriptor, as a user writes theirs (paths relative to this file). */
export default defineApp({
  name: 'shop',
  title: 'shop-api',
  version: '3.1.0',
  createApp: (options) => createShopApp(options),
  lambda: 'lambda.ts',
  watch: ['.'],
});
