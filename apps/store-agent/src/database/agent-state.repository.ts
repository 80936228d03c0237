import { Inject, Injectable } from '@nestjs/common';
import type { CommandAck } from '@app/contracts';
import { AGENT_SQLITE, type AgentSqlite } from './agent-database.js';

/** What the agent settled for a command: the ack it sent (or will send) for it. */
export interface SettledCommand {
  commandId: string;
  seq: number;
  domain: string;
  ack: CommandAck;
}

export type CursorName = 'downlink';

/** The agent's only access to its SQLite file. */
@Injectable()
export class AgentStateRepository {
  private readonly byId;
  private readonly bySeq;
  private readonly insertSettled;
  private readonly insertAck;
  private readonly deleteAck;
  private readonly listAcks;
  private readonly readCursor;
  private readonly writeCursor;

  constructor(@Inject(AGENT_SQLITE) private readonly db: AgentSqlite) {
    this.byId = db.prepare<[string], { command_id: string; seq: number; domain: string; result: string }>(
      'SELECT command_id, seq, domain, result FROM applied_commands WHERE command_id = ?',
    );
    this.bySeq = db.prepare<[number], { command_id: string; seq: number; domain: string; result: string }>(
      'SELECT command_id, seq, domain, result FROM applied_commands WHERE seq = ?',
    );
    this.insertSettled = db.prepare('INSERT INTO applied_commands (command_id, seq, domain, result, recorded_at) VALUES (?, ?, ?, ?, ?)');
    this.insertAck = db.prepare(
      'INSERT INTO pending_acks (command_id, ack, created_at) VALUES (?, ?, ?) ON CONFLICT (command_id) DO UPDATE SET ack = excluded.ack, ' +
        'created_at = excluded.created_at',
    );
    this.deleteAck = db.prepare<[string, string]>('DELETE FROM pending_acks WHERE command_id = ? AND ack = ?');
    this.listAcks = db.prepare<[], { ack: string }>('SELECT ack FROM pending_acks ORDER BY created_at, command_id');
    this.readCursor = db.prepare<[string], { value: number }>('SELECT value FROM cursors WHERE name = ?');
    this.writeCursor = db.prepare(
      'INSERT INTO cursors (name, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = ' +
        'excluded.updated_at',
    );
  }

  /** The command settled earlier under this id, or else under this seq: a replay. */
  findSettled(commandId: string, seq: number): SettledCommand | null {
    const row = this.byId.get(commandId) ?? this.bySeq.get(seq);
    return row ? { commandId: row.command_id, seq: row.seq, domain: row.domain, ack: JSON.parse(row.result) as CommandAck } : null;
  }

  /**
   * Records a final outcome and queues its ack in one transaction, before the ack is sent: after a
   * crash the ack is resent and the command is never applied again.
   */
  settle(command: { commandId: string; seq: number; domain: string }, ack: CommandAck, now = new Date()): void {
    this.db.transaction(() => {
      this.insertSettled.run(command.commandId, command.seq, command.domain, JSON.stringify(ack), now.toISOString());
      this.insertAck.run(ack.commandId, JSON.stringify(ack), now.toISOString());
    })();
  }

  /** Queues an ack that settles nothing locally (a retryable failure, or a command that cannot be trusted). */
  queueAck(ack: CommandAck, now = new Date()): void {
    this.insertAck.run(ack.commandId, JSON.stringify(ack), now.toISOString());
  }

  /** Removes the ack once the cloud has it, unless a newer ack for the same command replaced it meanwhile. */
  ackDelivered(ack: CommandAck): void {
    this.deleteAck.run(ack.commandId, JSON.stringify(ack));
  }

  pendingAcks(): CommandAck[] {
    return this.listAcks.all().map((r) => JSON.parse(r.ack) as CommandAck);
  }

  cursor(name: CursorName): number {
    return this.readCursor.get(name)?.value ?? 0;
  }

  saveCursor(name: CursorName, value: number, now = new Date()): void {
    this.writeCursor.run(name, value, now.toISOString());
  }
}
