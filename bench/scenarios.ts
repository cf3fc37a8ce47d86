import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ProxyEvent } from '../infra/src/lambda/proxy-event';
import { apiEvent } from '../tests/support/events';
import type { FunctionGroupName } from '../service/functions/groups';

/** Stands for the id of a todo created during set-up, in the events of scenarios that read one. */
export const ID_PLACEHOLDER = '00000000-0000-4000-8000-0000000000ff';

/** How many todos every stack's store holds before anything is timed (created through its own handler). */
export const PREFILL = 5_000;

/** One warm scenario: the event to send (with {@link ID_PLACEHOLDER} where a created todo's id goes) and the status every stack must answer. */
export interface Scenario {
  name: string;
  status: number;
  event: ProxyEvent;
}

/** Everything the runners send, written once as JSON so they start as bare `node` processes. */
export interface BenchEvents {
  /** The cold start's single request. */
  health: ProxyEvent;
  /** Create events the store is pre-filled with, used in turn (every priority, completed or not). */
  prefill: ProxyEvent[];
  scenarios: Scenario[];
  /** Names of the scenarios the memory top-up alternates between (reads only, so every store stays the same size). */
  topUp: string[];
  prefillCount: number;
  idPlaceholder: string;
  /**
   * The cold starts of the function groups (service/functions/groups.ts): per group, the first request of a fresh
   * instance, one of its own routes, sent alike to the group's function and to the whole app's.
   */
  functionColdStarts: FunctionColdStart[];
}

/** One group's cold-start request: the route it is for, the event and the status both functions must answer. */
export interface FunctionColdStart {
  group: FunctionGroupName;
  route: string;
  status: number;
  event: ProxyEvent;
}

/** The claims a Cognito user pool authorizer puts in the event of `GET /api/v1/me` (an ID token; docs/auth.md). */
const ID_TOKEN_CLAIMS = { sub: '8f2c1a3e-0000-4000-8000-000000000001', 'cognito:username': 'bench', email: 'bench@example.com', token_use: 'id', aud: 'bench-client' };

/**
 * Returns a REST (payload 1.0) event as API Gateway sends it to the function: the project's one
 * event builder (infra/src/local/event.ts through tests/support/events.ts `apiEvent`, with a deployed
 * request's values from tests/fixtures: the full CloudFront / X-Forwarded header set with the API key,
 * the multi-value maps, a populated `requestContext`), with
 * the resource path and, for a `{id}` route, the path parameters the gateway fills in.
 */
function event(method: string, pathWithQuery: string, options: { body?: object; resource?: string; public?: boolean; authorizer?: Record<string, unknown> } = {}): ProxyEvent {
  // Only the user pool routes have an authorizer, so only their events carry `requestContext.authorizer`; a public route's carries no key.
  const pathParameters = options.resource?.includes('{id}') ? { id: ID_PLACEHOLDER } : undefined;
  return apiEvent(method, pathWithQuery, { body: options.body, resource: options.resource, public: options.public, authorizer: options.authorizer, ...(pathParameters ? { pathParameters } : {}) });
}

/** Returns the benchmark's events (see {@link BenchEvents}). */
export function benchEvents(): BenchEvents {
  const byId = { resource: '/api/v1/todos/{id}' };
  const prefill: ProxyEvent[] = [];
  for (const priority of ['low', 'medium', 'high']) {
    for (const completed of [false, true]) prefill.push(event('POST', '/api/v1/todos', { body: { title: `Prefilled ${priority}`, description: 'Made before timing', priority, completed } }));
  }
  return {
    health: event('GET', '/health', { public: true }),
    prefill,
    scenarios: [
      { name: 'GET /health', status: 200, event: event('GET', '/health', { public: true }) },
      { name: 'POST create (valid)', status: 201, event: event('POST', '/api/v1/todos', { body: { title: 'Buy milk', description: 'Two litres', priority: 'high' } }) },
      { name: 'POST create (invalid)', status: 400, event: event('POST', '/api/v1/todos', { body: { title: '', priority: 'urgent', extra: 1 } }) },
      { name: 'GET by id', status: 200, event: event('GET', `/api/v1/todos/${ID_PLACEHOLDER}`, byId) },
      { name: 'GET filtered list', status: 200, event: event('GET', '/api/v1/todos?completed=false&priority=low&limit=20') },
    ],
    topUp: ['GET /health', 'GET by id'],
    prefillCount: PREFILL,
    idPlaceholder: ID_PLACEHOLDER,
    functionColdStarts: [
      { group: 'health', route: 'GET /health', status: 200, event: event('GET', '/health', { public: true }) },
      { group: 'read', route: 'GET /api/v1/todos', status: 200, event: event('GET', '/api/v1/todos?limit=20') },
      { group: 'write', route: 'POST /api/v1/todos', status: 201, event: event('POST', '/api/v1/todos', { body: { title: 'Buy milk', description: 'Two litres', priority: 'high' } }) },
      { group: 'export', route: 'GET /api/v1/todos.csv', status: 200, event: event('GET', '/api/v1/todos.csv') },
      { group: 'account', route: 'GET /api/v1/me', status: 200, event: event('GET', '/api/v1/me', { authorizer: { claims: ID_TOKEN_CLAIMS } }) },
    ],
  };
}

/** Writes {@link benchEvents} to `file` (JSON) and returns `file`. */
export async function writeBenchEvents(file: string): Promise<string> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, JSON.stringify(benchEvents()));
  return file;
}
