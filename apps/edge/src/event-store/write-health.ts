import { Injectable } from '@nestjs/common';

/** Why the hub cannot take events right now, as /healthz answers it. */
export interface WriteFault {
  /** DISK_FULL (SQLITE_FULL), DISK_ERROR (I/O error, read-only file...), CLOCK_EXHAUSTED (docs/edge.md). */
  code: 'DISK_FULL' | 'DISK_ERROR' | 'CLOCK_EXHAUSTED';
  message: string;
  /** When the fault was first seen (ISO). */
  since: string;
}

/**
 * Whether the event store can write, as the writer last found out: a failed commit whose cause is
 * the disk sets a fault, the next successful write clears it. /healthz answers 503 with the
 * fault's code while it lasts. A clock past its bound is a fault too, found at start.
 */
@Injectable()
export class WriteHealth {
  private disk: WriteFault | null = null;
  private clock: WriteFault | null = null;

  /** The current fault, the disk's first (it is the one that heals by itself). */
  fault(): WriteFault | null {
    return this.disk ?? this.clock;
  }

  diskFault(): WriteFault | null {
    return this.disk;
  }

  /** A write failed because of the disk; returns true when this is news (the fault was not set). */
  diskFailed(code: 'DISK_FULL' | 'DISK_ERROR', message: string, now = new Date()): boolean {
    const fresh = this.disk === null || this.disk.code !== code;
    this.disk = { code, message, since: fresh ? now.toISOString() : this.disk!.since };
    return fresh;
  }

  /** A write went through: returns the fault it cleared, if any. */
  diskWritten(): WriteFault | null {
    const cleared = this.disk;
    this.disk = null;
    return cleared;
  }

  clockExhausted(message: string, now = new Date()): void {
    this.clock = { code: 'CLOCK_EXHAUSTED', message, since: now.toISOString() };
  }
}

/**
 * The disk fault an SQLite error stands for, or null for any other (a bug, a constraint): the
 * codes better-sqlite3 gives as `error.code` (SQLITE_FULL, SQLITE_IOERR_WRITE, SQLITE_READONLY...).
 */
export function diskFaultOf(error: unknown): 'DISK_FULL' | 'DISK_ERROR' | null {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return null;
  if (code === 'SQLITE_FULL') return 'DISK_FULL';
  if (/^SQLITE_(IOERR|READONLY|CANTOPEN|CORRUPT|NOTADB)/.test(code)) return 'DISK_ERROR';
  return null;
}

/** `SQLITE_FULL: database or disk is full`: an error's code and message, for logs and /healthz. */
export function reasonOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  return typeof code === 'string' ? `${code}: ${message}` : message;
}
