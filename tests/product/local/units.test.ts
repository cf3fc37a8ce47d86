import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { API_KEY_PATTERN, generateApiKey, resolveApiKey } from '../../../infra/src/local/api-key-store';
import { eventPath, parseQuery, isBinary } from '../../../infra/src/local/event';
import { periodStart } from '../../../infra/src/local/usage-plan';

describe('the local API key', () => {
  it('is generated once, kept in the directory, and reused', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'key-'));
    try {
      const first = resolveApiKey({ dir });
      expect(first.source).toBe('generated');
      expect(first.key).toMatch(API_KEY_PATTERN);
      expect((await readFile(path.join(dir, 'api-key'), 'utf8')).trim()).toBe(first.key);
      expect(resolveApiKey({ dir })).toEqual({ key: first.key, source: 'file', file: first.file });
      expect(resolveApiKey({ dir, env: 'FromTheEnvironment0123' })).toEqual({ key: 'FromTheEnvironment0123', source: 'environment' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it.each(['short', 'has spaces in it 0123456789', 'x'.repeat(129), 'dash-is-not-allowed-01234'])('refuses %j, naming the rule', (value) => {
    expect(() => resolveApiKey({ dir: os.tmpdir(), env: value })).toThrow('API_KEY must be 20-128 letters and digits');
  });

  it('generates 40 letters and digits, different each time', () => {
    const keys = new Set(Array.from({ length: 50 }, generateApiKey));
    expect(keys.size).toBe(50);
    for (const k of keys) expect(k).toMatch(/^[A-Za-z0-9]{40}$/);
  });
});

describe('quota periods (UTC; reset instant UNCONFIRMED on AWS)', () => {
  const wed = Date.UTC(2026, 10, 25, 15, 30); // Wednesday 25 Nov 2026
  it.each([
    ['DAY', Date.UTC(2026, 10, 25)],
    ['WEEK', Date.UTC(2026, 10, 22)], // the Sunday before
    ['MONTH', Date.UTC(2026, 10, 1)],
  ] as const)('%s starts at %i', (period, start) => {
    expect(periodStart(period, wed)).toBe(start);
  });
});

describe('parseQuery', () => {
  it('splits on & and ;, drops the fragment, decodes, and is null when empty (§1.15)', () => {
    expect(parseQuery('a=1;b=2&zhash=abort/#frag')).toEqual({ a: ['1'], b: ['2'], zhash: ['abort/'] });
    expect(parseQuery('')).toBeNull();
    expect(parseQuery('&&')).toBeNull();
    expect(parseQuery('bad=%E0%A4%A')).toEqual({ bad: ['%E0%A4%A'] });
  });
});

describe('isBinary', () => {
  it.each([
    ['image/png', ['image/png'], true],
    ['image/png', ['image/*'], true],
    ['image/png; q=1', ['*/*'], true],
    ['application/json', ['image/*'], false],
    [undefined, ['*/*'], false],
  ] as const)('%s against %j → %s (§5.5)', (type, list, expected) => {
    expect(isBinary(type, list)).toBe(expected);
  });
});

describe('event.path (docs/apigateway-behaviour.md §1.12)', () => {
  it('collapses empty segments under literal and {param} resources, keeps them under {proxy+}', () => {
    expect(eventPath('//hardcoded', '/hardcoded')).toBe('/hardcoded');
    expect(eventPath('/api//v1/todos/', '/api/v1/todos')).toBe('/api/v1/todos/');
    expect(eventPath('/proxy-value//double-slash', '/{proxy+}')).toBe('/proxy-value//double-slash');
  });
});
