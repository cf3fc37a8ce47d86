import { lambdaHandler } from 'koa-apigateway/lambda';
import { createPlainApp } from './app';

/** The plain app's Lambda entry: the product's adapter around the app, built once per cold start. */
export const handler = lambdaHandler(createPlainApp());
