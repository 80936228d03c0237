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

/** Splits rows into groups of at most `maxBytes` (by `size`) and `maxRows`, for multi-row statements. */
export function byBytes<T>(items: readonly T[], size: (item: T) => number, maxBytes = 4 * 1024 * 1024, maxRows = 1_000): T[][] {
  const groups: T[][] = [];
  let group: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const n = size(item);
    if (group.length > 0 && (group.length >= maxRows || bytes + n > maxBytes)) {
      groups.push(group);
      group = [];
      bytes = 0;
    }
    group.push(item);
    bytes += n;
  }
  if (group.length > 0) groups.push(group);
  return groups;
}
