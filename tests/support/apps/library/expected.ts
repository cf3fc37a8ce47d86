/**
 * What the library app must become on API Gateway, `METHOD /resource` sorted as the component's `routes`
 * output: two path variables, the plain router.get, the nested router under both prefixes. Written out by
 * hand (not derived from the plan) so the tests that compare against it check the plan.
 */
export const LIBRARY_ROUTES: readonly string[] = [
  'DELETE /branches/{branchId}/loans/{loanId}',
  'GET /branches/{branchId}/books/{isbn}',
  'GET /branches/{branchId}/hours',
  'GET /branches/{branchId}/search',
  'GET /status',
  'GET /v2/catalog/books/{isbn}',
  'POST /branches/{branchId}/loans',
];
