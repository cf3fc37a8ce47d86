/** The comparison of a deployed REST API with the document the program builds (`koa-apigateway verify`). This module only re-exports. */
export type * from './types';
export { compareDeployed, formatDifference, normaliseModel } from './compare';
export { diffJson, escapePointer, jsonEqual, pointer, type JsonDifference } from './json-diff';
