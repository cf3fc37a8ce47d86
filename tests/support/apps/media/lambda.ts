import { lambdaHandler } from 'koa-apigateway/lambda';
import { createMediaApp } from './app';

/** The media app's Lambda entry: the product's adapter around the app (binary types from BINARY_MEDIA_TYPES, as deployed). */
export const handler = lambdaHandler(createMediaApp());
