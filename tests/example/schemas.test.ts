import { describe, expect, it } from 'vitest';
import { exceedsDepth } from '../../infra/src/route/body';
import { compileSchema } from '../../infra/src/route/validation';
import { ListTodosQuery, TodoCreate, TodoPatch, TodoReplace } from '../../service/todos/schemas';

const create = compileSchema(TodoCreate, 'body');
const patch = compileSchema(TodoPatch, 'body');
const replace = compileSchema(TodoReplace, 'body');
const query = compileSchema(ListTodosQuery, 'query');

describe('TodoCreate accepts', () => {
  it.each([
    ['a title only', { title: 'x' }],
    ['every field', { title: 'Buy milk', description: 'two litres', priority: 'high', completed: true }],
    ['a 200-character title', { title: 'x'.repeat(200) }],
    ['a 1000-character description', { title: 'x', description: 'd'.repeat(1000) }],
    ['an empty description', { title: 'x', description: '' }],
    ['every priority', { title: 'x', priority: 'low' }],
  ])('%s', (_name, value) => {
    expect(create.explain(value)).toEqual([]);
  });
});

describe('TodoCreate rejects, naming the field', () => {
  it.each([
    ['a missing title', {}, '/title', 'is required'],
    ['an empty title', { title: '' }, '/title', 'must not have fewer than 1 characters'],
    ['a 201-character title', { title: 'x'.repeat(201) }, '/title', 'must not have more than 200 characters'],
    ['a numeric title', { title: 5 }, '/title', 'must be string'],
    ['a 1001-character description', { title: 'x', description: 'd'.repeat(1001) }, '/description', 'must not have more than 1000 characters'],
    ['a null description (create takes a string or nothing)', { title: 'x', description: null }, '/description', 'must be string'],
    ['an unknown priority', { title: 'x', priority: 'urgent' }, '/priority', 'must be one of: low, medium, high'],
    ['completed as a string', { title: 'x', completed: 'true' }, '/completed', 'must be boolean'],
    ['an unknown property', { title: 'x', owner: 'me' }, '/owner', 'is not allowed'],
    ['a __proto__ key', JSON.parse('{"title":"x","__proto__":{"polluted":true}}'), '/__proto__', 'is not allowed'],
  ])('%s', (_name, value, path, message) => {
    expect(create.explain(value)).toContainEqual({ path, message, in: 'body' });
  });

  it.each([
    ['an array', []],
    ['a string', 'title'],
    ['null', null],
    ['a number', 1],
  ])('a body that is %s', (_name, value) => {
    expect(create.explain(value)).toContainEqual({ path: '', message: 'must be object', in: 'body' });
  });

  it('reports every failing field at once', () => {
    const paths = create.explain({ title: '', priority: 'x', extra: 1 }).map((e) => e.path).sort();
    expect(paths).toEqual(['/extra', '/priority', '/title']);
  });
});

describe('TodoCreate defaults', () => {
  it('fills priority medium and completed false without touching the input', () => {
    const input = { title: 'x' };
    expect(create.withDefaults(input)).toEqual({ title: 'x', priority: 'medium', completed: false });
    expect(input).toEqual({ title: 'x' });
  });
  it('keeps values that were sent', () => {
    expect(create.withDefaults({ title: 'x', priority: 'low', completed: true })).toEqual({ title: 'x', priority: 'low', completed: true });
  });
});

describe('TodoReplace', () => {
  it('requires a title, like create', () => {
    expect(replace.explain({ priority: 'low' })).toContainEqual({ path: '/title', message: 'is required', in: 'body' });
  });
});

describe('TodoPatch', () => {
  it.each([
    ['one field', { completed: true }],
    ['a null description (clears it)', { description: null }],
    ['every field', { title: 't', description: 'd', priority: 'low', completed: false }],
  ])('accepts %s', (_name, value) => {
    expect(patch.explain(value)).toEqual([]);
  });
  it.each([
    ['an empty object', {}, '', 'must have at least 1 property'],
    ['an empty title', { title: '' }, '/title', 'must not have fewer than 1 characters'],
    ['a numeric description', { description: 3 }, '/description', 'must be string or null'],
    ['an unknown property', { done: true }, '/done', 'is not allowed'],
    ['a read-only field', { id: '3fa85f64-5717-4562-b3fc-2c963f66afa6' }, '/id', 'is not allowed'],
  ])('rejects %s', (_name, value, path, message) => {
    expect(patch.explain(value)).toContainEqual({ path, message, in: 'body' });
  });
});

describe('ListTodosQuery (query strings arrive as text)', () => {
  const parse = (raw: Record<string, string>) => query.withDefaults(query.convert(raw));
  it('converts and defaults', () => {
    expect(parse({ completed: 'true', limit: '5' })).toEqual({ completed: true, limit: 5 });
    expect(parse({})).toEqual({ limit: 20 });
  });
  it.each([
    [{ limit: '0' }, '/limit', 'must be >= 1'],
    [{ limit: '101' }, '/limit', 'must be <= 100'],
    [{ limit: '2.5' }, '/limit', 'must be integer'],
    [{ limit: 'ten' }, '/limit', 'must be integer'],
    [{ completed: 'yes' }, '/completed', 'must be boolean'],
    [{ priority: 'urgent' }, '/priority', 'must be one of: low, medium, high'],
  ])('rejects %j', (raw, path, message) => {
    expect(query.explain(parse(raw))).toContainEqual({ path, message, in: 'query' });
  });
});

describe('exceedsDepth (the guard before JSON.parse)', () => {
  it.each([
    ['{"a":1}', 1, false],
    ['{"a":{"b":[1]}}', 3, false],
    ['{"a":{"b":[1]}}', 2, true],
    ['{"a":"[[[[[[[[[[["}', 1, false],
    ['{"a":"\\\\"}', 1, false],
    ['{"a":"\\"[[[["}', 1, false],
    ['[[[[]]]]', 3, true],
  ])('%s with max %i → %s', (text, max, expected) => {
    expect(exceedsDepth(text, max)).toBe(expected);
  });
});
