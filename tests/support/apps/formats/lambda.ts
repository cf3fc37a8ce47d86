import { lambdaHandler } from 'koa-apigateway/lambda';
import { createFormatsApp } from './app';

/** The address book's Lambda entry: the product's adapter around the app. */
export const handler = lambdaHandler(createFormatsApp());
