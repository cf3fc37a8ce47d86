/**
 * The media app's descriptor (tests/support/apps/media/app.ts): binary request and response bodies (docs/binary.md).
 * A descriptor only, like ping: KOA_APIGATEWAY_APP=<this file> points a project's commands at it.
 */
import { defineApp } from 'koa-apigateway';
import { createMediaApp } from './app';

export default defineApp({
  name: 'media',
  title: 'media-api',
  version: '1.0.0',
  createApp: () => createMediaApp(),
  lambda: 'lambda.ts',
  watch: ['.'],
});
