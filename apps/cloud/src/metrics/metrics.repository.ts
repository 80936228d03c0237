import { Injectable } from '@nestjs/common';
import type { RowDataPacket } from 'mysql2/promise';
import { SqlPool } from '../database/sql-pool.js';

interface StatusCountRow extends RowDataPacket {
  status: string;
  count: number;
}

@Injectable()
export class MetricsRepository {
  constructor(private readonly pool: SqlPool) {}

  /** Commands per open status across the whole cloud (done ones grow forever and are counted by transition). */
  async openCommandCounts(): Promise<StatusCountRow[]> {
    const [rows] = await this.pool.query<StatusCountRow[]>(
      "SELECT status, COUNT(*) AS count FROM SyncCommand WHERE status IN ('PENDING', 'DELIVERED', 'FAILED', 'DEAD_LETTER') GROUP BY status",
    );
    return rows;
  }
}
