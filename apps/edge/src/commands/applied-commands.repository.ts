import { Inject, Injectable } from '@nestjs/common';
import type { CommandType, SyncDomain } from '@app/contracts';
import { SQLITE, type SqliteDatabase } from '../database/sqlite-database.js';

export interface AppliedCommand {
  commandId: string;
  commandSeq: number;
  domain: SyncDomain;
  type: CommandType;
  appliedRevision: number;
  appliedAt: string;
}

interface AppliedCommandRow {
  command_id: string;
  command_seq: number;
  domain: string;
  type: string;
  applied_revision: number;
  applied_at: string;
}

/** One row per command applied to this hub: what makes apply idempotent by command id. */
@Injectable()
export class AppliedCommandsRepository {
  private readonly selectOne;
  private readonly insertRow;

  constructor(@Inject(SQLITE) db: SqliteDatabase) {
    this.selectOne = db.prepare<[string], AppliedCommandRow>(
      'SELECT command_id, command_seq, domain, type, applied_revision, applied_at FROM applied_commands WHERE command_id = ?',
    );
    this.insertRow = db.prepare<[string, number, string, string, number, string]>(
      'INSERT INTO applied_commands (command_id, command_seq, domain, type, applied_revision, applied_at) VALUES (?, ?, ?, ?, ?, ?)',
    );
  }

  find(commandId: string): AppliedCommand | undefined {
    const row = this.selectOne.get(commandId);
    if (!row) return undefined;
    return {
      commandId: row.command_id,
      commandSeq: row.command_seq,
      domain: row.domain as SyncDomain,
      type: row.type as CommandType,
      appliedRevision: row.applied_revision,
      appliedAt: row.applied_at,
    };
  }

  /** Inside the caller's transaction, with the domain change it records. */
  insert(command: AppliedCommand): void {
    this.insertRow.run(command.commandId, command.commandSeq, command.domain, command.type, command.appliedRevision, command.appliedAt);
  }
}
