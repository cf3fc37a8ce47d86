/**
 * The parcels app's descriptor, as a user writes theirs (infra/src/app/load.ts): this folder is a complete
 * project, so every command run here (`koa-apigateway start`, `synth`, ...) serves the app, and its Pulumi
 * program (index.ts) deploys it. The product's tests use it as their subject (tests/support/apps.ts).
 */
import { defineApp } from 'koa-apigateway';
import { createParcelsApp } from './app';
import { parcelsContract } from './contract';

export default defineApp({
  name: 'parcels',
  title: 'parcels-api',
  version: '1.4.0',
  createApp: ({ userPool }) => createParcelsApp({ userPool }),
  lambda: 'lambda.ts',
  watch: ['.'],
  contracts: [parcelsContract],
});
