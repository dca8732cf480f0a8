/**
 * Finds a PostgreSQL SQLSTATE in an error from Prisma's pg driver adapter, wherever the adapter
 * put it (code, originalCode, meta.driverAdapterError.cause …).
 */
export function hasSqlState(error: unknown, sqlState: string, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 6) return false;
  const record = error as Record<string, unknown>;
  if (record.code === sqlState || record.originalCode === sqlState) return true;
  return ['cause', 'meta', 'driverAdapterError'].some((key) => hasSqlState(record[key], sqlState, depth + 1));
}

export const EXCLUSION_VIOLATION = '23P01';
