/** A module that is no app descriptor (tests/infra/app.test.ts: KOA_APIGATEWAY_APP pointing at it fails by name). */
export const nothing = 1;
