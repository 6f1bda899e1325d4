/**
 * Translation of better-sqlite3 and file-system failures into ledger errors.
 */
import { CloudmendError } from '../errors.js';
import { LedgerBusyError, LedgerUnavailableError } from './errors.js';

function sqliteCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** True for SQLITE_BUSY and SQLITE_LOCKED and their extended codes: another connection holds a lock. */
export function isBusyError(error: unknown): boolean {
  const code = sqliteCode(error);
  return code !== undefined && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}

/**
 * Map driver and file-system failures to `LedgerUnavailableError` (a lock held beyond the busy
 * timeout: `LedgerBusyError`, which the state machines retry); leave our own errors and bugs alone.
 */
export function translateError(error: unknown, path: string): unknown {
  if (error instanceof CloudmendError) return error;
  const code = sqliteCode(error);
  if (code === undefined) return error;
  if (isBusyError(error)) {
    return new LedgerBusyError(`another cloudmend process holds the ledger at ${path}; retry, or raise busyTimeoutMs`, { cause: error });
  }
  if (code.startsWith('SQLITE_NOTADB') || code.startsWith('SQLITE_CORRUPT')) {
    return new LedgerUnavailableError(
      `${path} is not a cloudmend ledger (not a SQLite database, or corrupt); ` + 'move it aside or choose another ledger path',
      { cause: error },
    );
  }
  if (/^(SQLITE_(CANTOPEN|READONLY|IOERR|FULL|PERM|AUTH)|E[A-Z]+$)/.test(code)) {
    return new LedgerUnavailableError(
      `cannot read or write the ledger at ${path} (${code}); check the path, its permissions and free disk space`,
      { cause: error },
    );
  }
  return error;
}
