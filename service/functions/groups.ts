/**
 * The example's function groups (issue 24): which routes each Lambda function serves, from which
 * entry, with what memory. Plain data, read by the app descriptor (app.config.ts `functions`) and by the tests that
 * check each entry mounts exactly its group's routes (tests/example/functions). Routes are `METHOD /path` as the
 * router registers them. Rights and environment per group are the Pulumi program's (index.ts `resources`):
 * `health` gets no table; `read`, `export` and `account` the read-only policy; `write` the write policy.
 *
 * - `health`: the public health check; the smallest bundle (no todo service, no DynamoDB client), 128 MB.
 * - `read`: the todo reads, the attachment's download included.
 * - `write`: the todo writes (they read the todo they change), the attachment's upload and removal included.
 * - `export`: the CSV export, streamed (`stream: true`, docs/streaming.md): API Gateway sends each page of rows as
 *   the function writes it, past 10 MB and 29 s; one function streams or buffers, so it is a group of its own, with
 *   60 s to page through the table.
 * - `account`: the user pool routes, mounted only when the stack has a user pool (`userPool`): without one the
 *   group has no routes and deploys nothing.
 */
export const FUNCTION_GROUPS = {
  health: { routes: ['GET /health'], lambda: 'service/functions/health.ts', memorySize: 128 },
  read: { routes: ['GET /api/v1/todos', 'GET /api/v1/todos/:id', 'GET /api/v1/todos/:id/attachment'], lambda: 'service/functions/read.ts' },
  write: {
    routes: ['POST /api/v1/todos', 'PUT /api/v1/todos/:id', 'PATCH /api/v1/todos/:id', 'DELETE /api/v1/todos/:id', 'PUT /api/v1/todos/:id/attachment', 'DELETE /api/v1/todos/:id/attachment'],
    lambda: 'service/functions/write.ts',
  },
  export: { routes: ['GET /api/v1/todos.csv'], lambda: 'service/functions/export.ts', stream: true, timeoutSeconds: 60 },
  account: { routes: ['GET /api/v1/me', 'GET /api/v1/reader/todos'], lambda: 'service/functions/account.ts' },
} as const satisfies Record<string, { routes: readonly string[]; lambda: string; memorySize?: number; stream?: boolean; timeoutSeconds?: number }>;

/** The name of one of the example's function groups. */
export type FunctionGroupName = keyof typeof FUNCTION_GROUPS;
