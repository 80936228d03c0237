import { ContractValidationError } from '@app/contracts';

/**
 * Opaque page cursors: base64url of a small JSON value. Clients hand back what they were given;
 * anything else is a 400 naming the `cursor` field, never a 500.
 */
export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

export function decodeCursor<T>(cursor: string | undefined, isValid: (value: unknown) => value is T): T | undefined {
  if (cursor === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    value = undefined;
  }
  if (!isValid(value)) throw new ContractValidationError([{ path: 'cursor', code: 'invalid_cursor', message: 'is not a cursor this API returned' }], 'query');
  return value;
}
