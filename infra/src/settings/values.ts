import { SettingsError } from '../errors';
import { GATEWAY_KEYS, SETTING_DEFAULTS, type SettingKey } from './keys';

/** Reads the gateway's keys of one stack: each key's raw text (the stack's, else its default, trimmed) and the project whose keys they are, for messages. */
export interface KeyReader {
  get(key: SettingKey): string;
  /** The Pulumi project (Pulumi.yaml `name`): errors name `<project>:<key>`; undefined: the bare key. */
  project?: string;
}

/** Returns a reader of `raw` (key without the project prefix → value), defaults from the key table (./keys.ts). */
export function keyReader(raw: Readonly<Record<string, string | undefined>>, project?: string): KeyReader {
  return { get: (key) => (raw[key] ?? SETTING_DEFAULTS[key]).trim(), ...(project !== undefined ? { project } : {}) };
}

/** Throws the SettingsError of `key` in the reader's project (see {@link SettingsError}). */
export function refuse(reader: KeyReader, key: string, value: string, expected: string, fix?: string): never {
  throw new SettingsError(key, value, expected, fix, reader.project);
}

/** Returns the key's value as a number within `range`; a SettingsError names the bounds otherwise. */
export function number(reader: KeyReader, key: SettingKey, range: { min?: number; max?: number; exclusiveMin?: boolean }): number {
  const text = reader.get(key);
  const value = Number(text);
  const bounds = `${range.exclusiveMin ? 'above' : 'at least'} ${range.min ?? '-∞'}${range.max !== undefined ? ` and at most ${range.max}` : ''}`;
  if (text === '' || !Number.isFinite(value)) refuse(reader, key, text, `expected a number ${bounds}`);
  if (range.min !== undefined && (range.exclusiveMin ? value <= range.min : value < range.min)) refuse(reader, key, text, `expected a number ${bounds}`);
  if (range.max !== undefined && value > range.max) refuse(reader, key, text, `expected a number ${bounds}`);
  return value;
}

/** Returns the key's value as a whole number within `range`; a SettingsError names the bounds otherwise. */
export function integer(reader: KeyReader, key: SettingKey, range: { min?: number; max?: number }): number {
  const text = reader.get(key);
  const bounds = `at least ${range.min ?? '-∞'}${range.max !== undefined ? ` and at most ${range.max}` : ''}`;
  if (!/^-?\d+$/.test(text)) refuse(reader, key, text, `expected a whole number ${bounds}`);
  return number(reader, key, range);
}

/** Returns the key's value as one of its allowed values (the key table's `values`, matched case-insensitively, spelt as there). */
export function oneOf<K extends SettingKey>(reader: KeyReader, key: K): (typeof GATEWAY_KEYS)[K] extends { values: readonly (infer V)[] } ? V : never {
  const allowed = (GATEWAY_KEYS[key] as { values?: readonly string[] }).values ?? [];
  const text = reader.get(key);
  const found = allowed.find((a) => a.toLowerCase() === text.toLowerCase());
  if (found === undefined) refuse(reader, key, text, `expected one of ${allowed.join(', ')}`);
  return found as never;
}

/** Returns the key's value as a boolean (`true` or `false`, any case); a SettingsError says `expected` otherwise. */
export function boolean(reader: KeyReader, key: SettingKey, expected = 'expected true or false'): boolean {
  const text = reader.get(key).toLowerCase();
  if (text === 'true') return true;
  if (text === 'false') return false;
  return refuse(reader, key, reader.get(key), expected);
}
