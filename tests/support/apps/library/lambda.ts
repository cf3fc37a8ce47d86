import { lambdaHandler } from 'koa-apigateway/lambda';
import { createLibraryApp } from './app';

/** The library's Lambda entry, as a user writes theirs: the product's adapter around the app, built once per cold start. */
export const handler = lambdaHandler(createLibraryApp());
