/** True for a duplicate-key error, from Prisma (P2002) or from the MySQL driver (ER_DUP_ENTRY). */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: unknown; errno?: unknown; cause?: unknown };
  if (e?.code === 'P2002' || e?.code === 'ER_DUP_ENTRY' || e?.errno === 1062) return true;
  return e?.cause !== undefined && e.cause !== error && isUniqueViolation(e.cause);
}
