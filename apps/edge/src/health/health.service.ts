import { Injectable } from '@nestjs/common';
import { WriteHealth, type WriteFault } from '../event-store/write-health.js';
import { EdgeHealthRepository } from './health.repository.js';

export interface EdgeHealth {
  status: 'ok' | 'unavailable';
  /** While unavailable because of a known fault: DISK_FULL, DISK_ERROR or CLOCK_EXHAUSTED. */
  code?: WriteFault['code'];
  message?: string;
  checks: { sqlite: { status: 'up' | 'down'; latencyMs: number; error?: string }; writes?: WriteFault };
}

/**
 * 200 only when the event store takes events: a real write here (the probe) and no fault the
 * writer found on its own writes (WriteHealth). The probe alone is not enough: it rewrites one
 * small row, which a full disk still lets through while every event append fails.
 */
@Injectable()
export class EdgeHealthService {
  constructor(
    private readonly repository: EdgeHealthRepository,
    private readonly writes: WriteHealth,
  ) {}

  check(): EdgeHealth {
    const started = performance.now();
    let sqlite: EdgeHealth['checks']['sqlite'];
    try {
      this.repository.writeProbe();
      sqlite = { status: 'up', latencyMs: Math.round(performance.now() - started) };
    } catch (error) {
      sqlite = { status: 'down', latencyMs: Math.round(performance.now() - started), error: (error as Error).message };
    }
    const fault = this.writes.fault();
    if (fault) return { status: 'unavailable', code: fault.code, message: fault.message, checks: { sqlite, writes: fault } };
    return { status: sqlite.status === 'up' ? 'ok' : 'unavailable', checks: { sqlite } };
  }
}
