/** A module that is no app descriptor (KOA_APIGATEWAY_APP pointing at it fails by name: tests/product/app/app.test.ts). */
export const nothing = 1;
