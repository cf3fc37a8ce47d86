import { lambdaHandler } from 'koa-apigateway/lambda';
import { createParcelsApp } from './app';

/**
 * A broken build of the parcels app for the tests: the app forgot to mount errorMiddleware(), so Koa's own
 * error handler answers a refused request as text/plain with the error's message (the field is named, but the
 * body is not the ErrorResponse JSON the document declares). The conformance suite must report the shape, with
 * the fix, and not claim that the field goes unnamed.
 */
export const handler = lambdaHandler(createParcelsApp({ errorMiddleware: false }));
