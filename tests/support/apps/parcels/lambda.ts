import { lambdaHandler } from 'koa-apigateway/lambda';
import { createParcelsApp } from './app';

/** The parcels app's Lambda entry, as a user writes theirs: the product's adapter around the app, built once per cold start. */
export const handler = lambdaHandler(createParcelsApp());
