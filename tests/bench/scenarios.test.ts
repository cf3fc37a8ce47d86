import { describe, expect, it } from 'vitest';
import { benchEvents } from '../../bench/scenarios';
import { apiEvent } from '../support/events';

/** The benchmark's events carry what API Gateway sends for each method's authorization (docs/apigateway-behaviour.md §5.6, §5.7). */
describe("the benchmark's events", () => {
  const events = benchEvents();
  const all = [events.health, ...events.prefill, ...events.scenarios.map((s) => s.event)];

  it('carry no requestContext.authorizer: no route of the todo API has an authorizer', () => {
    for (const event of all) expect(Object.keys(event.requestContext), `${event.httpMethod} ${event.path}`).not.toContain('authorizer');
  });

  it('public GET /health carries no API key: no x-api-key header, no identity.apiKey / apiKeyId', () => {
    const health = [events.health, events.scenarios.find((s) => s.name === 'GET /health')!.event];
    for (const event of health) {
      expect(Object.keys(event.headers ?? {}).map((k) => k.toLowerCase())).not.toContain('x-api-key');
      expect(Object.keys(event.multiValueHeaders ?? {}).map((k) => k.toLowerCase())).not.toContain('x-api-key');
      const identity = event.requestContext.identity as Record<string, unknown>;
      expect(identity).not.toHaveProperty('apiKey');
      expect(identity).not.toHaveProperty('apiKeyId');
      expect(identity.sourceIp).toBeTypeOf('string');
    }
  });

  it('a keyed route keeps the key in the header and in identity, as the gateway forwards them', () => {
    const create = events.scenarios.find((s) => s.name === 'POST create (valid)')!.event;
    const identity = create.requestContext.identity as Record<string, unknown>;
    expect(create.headers?.['x-api-key']).toBe(identity.apiKey);
    expect(identity.apiKeyId).toBeTypeOf('string');
  });
});

describe('apiEvent', () => {
  it('adds requestContext.authorizer only when asked for (a method with an authorizer)', () => {
    expect(apiEvent('GET', '/x').requestContext).not.toHaveProperty('authorizer');
    expect(apiEvent('GET', '/x', { authorizer: { claims: { sub: 'u' } } }).requestContext.authorizer).toEqual({ claims: { sub: 'u' } });
  });
});
