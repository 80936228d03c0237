/**
 * Conversions at the mysql2 boundary. MariaDB stores JSON as text and returns it as a string where
 * MySQL 8 returns it parsed; both come out of `fromJsonColumn` as values.
 */
export function fromJsonColumn<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

export function toJsonColumn(value: unknown): string {
  return JSON.stringify(value);
}

/** `?, ?, ?` for an IN list or a VALUES row. */
export function placeholders(count: number): string {
  return new Array<string>(count).fill('?').join(', ');
}
