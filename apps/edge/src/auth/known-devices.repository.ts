import { Inject, Injectable } from '@nestjs/common';
import { SQLITE, type SqliteDatabase } from '../database/sqlite-database.js';

@Injectable()
export class KnownDevicesRepository {
  private readonly stmts;

  constructor(@Inject(SQLITE) db: SqliteDatabase) {
    this.stmts = {
      remember: db.prepare(
        'INSERT INTO known_devices (device_id, role, first_seen, last_seen) VALUES (?, ?, ?, ?) ON CONFLICT (device_id) DO UPDATE SET role ' +
          '= excluded.role, last_seen = excluded.last_seen',
      ),
      known: db.prepare<[string], { device_id: string }>('SELECT device_id FROM known_devices WHERE device_id = ?'),
    };
  }

  remember(deviceId: string, role: string, at: string): void {
    this.stmts.remember.run(deviceId, role, at, at);
  }

  isKnown(deviceId: string): boolean {
    return this.stmts.known.get(deviceId) !== undefined;
  }
}
