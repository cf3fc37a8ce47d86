import { lambdaHandler } from 'koa-apigateway/lambda';
import { createStreamsApp } from './app';

/** The streams app's Lambda entry: the product's adapter around the app. */
export const handler = lambdaHandler(createStreamsApp());
