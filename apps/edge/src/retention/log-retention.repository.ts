import { Inject, Injectable } from '@nestjs/common';
import { SQLITE, type SqliteDatabase } from '../database/sqlite-database.js';
import { CLOUD_CURSOR } from '../outbox/outbox.repository.js';

const PRUNED_THROUGH = 'retention.prunedThrough';

interface Candidate {
  seq: number;
  event_id: string;
  deletable: number;
}

/**
 * What an event needs to stay after its window: the read models do not (they are tables updated
 * at append), but an order still open or a ticket not done keeps its events, and so does the
 * event with the highest Lamport time (the hub's clock starts from it after a restart).
 */
const DELETABLE = `NOT (
     e.lamport >= (SELECT MAX(lamport) FROM events)
  OR (e.aggregate_type = 'order' AND EXISTS (SELECT 1 FROM orders o WHERE o.order_id = e.aggregate_id AND o.status <> 'paid'))
  OR (e.aggregate_type IN ('kds', 'bds') AND EXISTS (SELECT 1 FROM tickets t WHERE t.ticket_id = e.aggregate_id AND t.status <> 'done'))
)`;

/** The pruning of the hub's event log (LogRetentionService): marks, tombstones, the pruned bound. */
@Injectable()
export class LogRetentionRepository {
  private readonly stmts;
  private readonly prune: (candidates: readonly Candidate[], upto: number) => number;

  constructor(@Inject(SQLITE) private readonly db: SqliteDatabase) {
    this.stmts = {
      getMeta: db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?'),
      setMeta: db.prepare<[string, string]>('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
      maxSeq: db.prepare<[], { seq: number | null }>('SELECT MAX(seq) AS seq FROM events'),
      mark: db.prepare<[number, number]>('INSERT INTO log_marks (seq, at) VALUES (?, ?) ON CONFLICT (seq) DO NOTHING'),
      markedBy: db.prepare<[number], { seq: number | null }>('SELECT MAX(seq) AS seq FROM log_marks WHERE at <= ?'),
      // The newest mark that old is still needed: it dates the events after the previous one.
      dropMarks: db.prepare<[number, number]>('DELETE FROM log_marks WHERE at <= ? AND seq < (SELECT MAX(seq) FROM log_marks WHERE at <= ?)'),
      range: db.prepare<[number, number, number], Candidate>(
        `SELECT e.seq, e.event_id, ${DELETABLE} AS deletable FROM events e WHERE e.seq > ? AND e.seq <= ? ORDER BY e.seq LIMIT ?`,
      ),
      kept: db.prepare<[number, number], Candidate>(
        `SELECT e.seq, e.event_id, 1 AS deletable FROM events e WHERE e.seq <= ? AND ${DELETABLE} ORDER BY e.seq LIMIT ?`,
      ),
      tombstone: db.prepare<[string, number]>('INSERT INTO pruned_events (event_id, seq) VALUES (?, ?) ON CONFLICT (event_id) DO NOTHING'),
      delete: db.prepare<[number]>('DELETE FROM events WHERE seq = ?'),
      tombstones: db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM pruned_events'),
    };
    // One transaction per batch: the events, their tombstones and the bound move together.
    const batch = db.transaction((candidates: readonly Candidate[], upto: number) => {
      let deleted = 0;
      for (const c of candidates) {
        if (c.deletable !== 1) continue;
        this.stmts.tombstone.run(c.event_id, c.seq);
        deleted += this.stmts.delete.run(c.seq).changes;
      }
      if (upto > this.prunedThrough()) this.stmts.setMeta.run(PRUNED_THROUGH, String(upto));
      return deleted;
    });
    this.prune = (candidates, upto) => this.withoutOwnFsync(() => batch(candidates, upto));
  }

  /**
   * Runs a prune batch without an fsync of its own (synchronous=NORMAL for its commit only): the
   * next append's commit, under synchronous=FULL, syncs the WAL and the batch with it. A power cut
   * before that loses the batch whole (events, tombstones and bound together), never an append; the
   * next run prunes it again. Measured here, the fsync was most of a batch's time (15-25 ms of it),
   * and appends wait for a batch. Nothing else can run between the two pragmas: it is all synchronous.
   */
  private withoutOwnFsync<T>(work: () => T): T {
    const previous = this.db.pragma('synchronous', { simple: true }) as number;
    this.db.pragma('synchronous = NORMAL');
    try {
      return work();
    } finally {
      this.db.pragma(`synchronous = ${previous}`);
    }
  }

  /** false once the hub is shutting down and closed its database. */
  isOpen(): boolean {
    return this.db.open;
  }

  /** Every event up to this seq that nothing keeps has been pruned (0: none ever was). */
  prunedThrough(): number {
    return Number(this.stmts.getMeta.get(PRUNED_THROUGH)?.value ?? 0);
  }

  cloudCursor(): number {
    return Number(this.stmts.getMeta.get(CLOUD_CURSOR)?.value ?? 0);
  }

  latestSeq(): number {
    return this.stmts.maxSeq.get()?.seq ?? 0;
  }

  /** Records that every event up to `seq` was appended by `at` (ms). */
  mark(seq: number, at: number): void {
    this.stmts.mark.run(seq, at);
  }

  /** The highest seq known to have been appended by `at` (0: none). */
  markedBy(at: number): number {
    return this.stmts.markedBy.get(at)?.seq ?? 0;
  }

  dropMarksOlderThan(at: number): void {
    this.stmts.dropMarks.run(at, at);
  }

  /**
   * Prunes the next batch of the log after `from`, up to `bound`: at most `limit` events are read,
   * those nothing keeps are deleted (each leaving its tombstone), and the pruned bound moves to the
   * last one read. Returns how many went and where the batch ended (`from` when nothing is left).
   */
  pruneBatch(from: number, bound: number, limit: number): { deleted: number; upto: number } {
    const candidates = this.stmts.range.all(from, bound, limit);
    const upto = candidates.length === limit ? candidates.at(-1)!.seq : bound;
    return { deleted: this.prune(candidates, upto), upto };
  }

  /** Prunes events below the bound that were kept before (an order since paid, a ticket done). */
  pruneReleased(through: number, limit: number): number {
    return this.prune(this.stmts.kept.all(through, limit), 0);
  }

  tombstoneCount(): number {
    return this.stmts.tombstones.get()?.n ?? 0;
  }
}
