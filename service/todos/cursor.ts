import { InvalidCursorError } from './repository';

/**
 * A position in the one listing order every repository uses: (createdAt, id), both strings.
 * Both repositories issue the same cursor, so a cursor only ever names a position in that public
 * order; it grants nothing. It is still validated strictly, so a forged or truncated cursor is a
 * 400 instead of a value the store rejects (DynamoDB would answer a bad key with a 500-looking
 * ValidationException).
 */
export interface CursorPosition {
  createdAt: string;
  id: string;
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Returns the opaque cursor for the position just after `position`. */
export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(JSON.stringify([position.createdAt, position.id])).toString('base64url');
}

/** Returns the position a cursor names; throws InvalidCursorError for anything this API did not issue. */
export function decodeCursor(cursor: string): CursorPosition {
  let parsed: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw new Error('not base64url');
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError('not a cursor issued by this API');
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) throw new InvalidCursorError('not a cursor issued by this API');
  const [createdAt, id] = parsed as unknown[];
  if (typeof createdAt !== 'string' || !ISO_INSTANT.test(createdAt) || Number.isNaN(Date.parse(createdAt))) {
    throw new InvalidCursorError('not a cursor issued by this API');
  }
  if (typeof id !== 'string' || !UUID.test(id)) throw new InvalidCursorError('not a cursor issued by this API');
  return { createdAt, id };
}

/** Orders by createdAt, then id: the listing order of every repository. */
export function comparePositions(a: CursorPosition, b: CursorPosition): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
