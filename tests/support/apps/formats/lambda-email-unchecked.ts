import { Format } from 'typebox/format';
import { lambdaHandler } from 'koa-apigateway/lambda';
import { createFormatsApp } from './app';

/**
 * A broken build of the address book for the tests: a service that no longer checks `email` (every string
 * passes), the fault the conformance suite must catch. Its validators look the check up by name on first use.
 */
Format.Set('email', () => true);
export const handler = lambdaHandler(createFormatsApp());
