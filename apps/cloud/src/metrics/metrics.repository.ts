import { Inject, Injectable } from '@nestjs/common';
import type { Pool, RowDataPacket } from 'mysql2/promise';
import { MYSQL_POOL } from '../database/mysql-pool.js';

interface StatusCountRow extends RowDataPacket {
  status: string;
  count: number;
}

@Injectable()
export class MetricsRepository {
  constructor(@Inject(MYSQL_POOL) private readonly pool: Pool) {}

  /** Commands per open status across the whole cloud (done ones grow forever and are counted by transition). */
  async openCommandCounts(): Promise<StatusCountRow[]> {
    const [rows] = await this.pool.query<StatusCountRow[]>(
      "SELECT status, COUNT(*) AS count FROM SyncCommand WHERE status IN ('PENDING', 'DELIVERED', 'FAILED', 'DEAD_LETTER') GROUP BY status",
    );
    return rows;
  }
}
