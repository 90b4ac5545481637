/** Opaque page cursors: base64url of the last row's sort key, checked on the way back in. */
import { InvalidCursorError } from '../../app/records/records-db.js';

export function encodeCursor(key: Readonly<Record<string, string | number>>): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** The key, with each field checked against its expected type; InvalidCursorError otherwise. */
export function decodeCursor<K extends Record<string, 'string' | 'number'>>(
  cursor: string,
  shape: K,
): { [F in keyof K]: K[F] extends 'number' ? number : string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  if (typeof parsed !== 'object' || parsed === null) throw new InvalidCursorError();
  const obj = parsed as Record<string, unknown>;
  for (const [field, type] of Object.entries(shape)) {
    const v = obj[field];
    if (typeof v !== type || (type === 'number' && !Number.isSafeInteger(v))) throw new InvalidCursorError();
  }
  return obj as { [F in keyof K]: K[F] extends 'number' ? number : string };
}
