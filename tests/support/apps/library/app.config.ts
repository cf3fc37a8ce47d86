/**
 * The library app's descriptor (infra/src/app/load.ts), as a user writes theirs to serve their own Koa app: this
 * folder is a complete project (Pulumi.yaml, a dev stack, index.ts), so every command run here (`koa-apigateway
 * start`, `openapi`, `synth`, ...) and its Pulumi program serve the library. Paths are relative to this file.
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
