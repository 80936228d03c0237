import { Injectable } from '@nestjs/common';
import type { CommandEnvelope } from '@app/contracts';
import { AuthException } from '../auth/auth.exception.js';
import type { NodePrincipal } from '../auth/principals.js';
import { nodeActor } from '../common/actor.js';
import { TransactionRunner } from '../database/transaction-runner.js';
import { CloudMetrics } from '../metrics/cloud-metrics.js';
import { NodesRepository } from '../nodes/nodes.repository.js';
import { toEnvelope, type CommandRow } from './command-row.js';
import { CommandTransitions } from './command-transitions.service.js';
import { CommandWakeupService } from './command-wakeup.service.js';
import { CommandsRepository } from './commands.repository.js';

const revoked = () => new AuthException('NODE_REVOKED', 'this node was revoked');

/** A poll is woken at most this many times without finding a command (another poll took it). */
const MAX_WAKE_ROUNDS = 100;
/** Pause before claiming again commands a claim skipped because another transaction held a row. */
const CONTENDED_RETRY_MS = 25;

/**
 * Long-poll delivery: answers at once when the node's store has deliverable commands, otherwise
 * holds the request until a wake-up (a publish, a retry coming due, an earlier command finishing,
 * on any replica) or until `wait` ends. Each command is claimed by exactly one poll.
 */
@Injectable()
export class CommandDeliveryService {
  constructor(
    private readonly commands: CommandsRepository,
    private readonly nodes: NodesRepository,
    private readonly transitions: CommandTransitions,
    private readonly wakeups: CommandWakeupService,
    private readonly transactions: TransactionRunner,
    private readonly metrics: CloudMetrics,
  ) {}

  async poll(node: NodePrincipal, waitSeconds: number, signal: AbortSignal): Promise<CommandEnvelope[]> {
    const deadline = Date.now() + waitSeconds * 1000;
    for (let round = 0; round < MAX_WAKE_ROUNDS; round += 1) {
      // Registered before looking, so a command committed after the look still wakes this poll.
      const waiter = waitSeconds > 0 ? await this.wakeups.register(node.storeId) : null;
      try {
        if (signal.aborted) return [];
        // After a wake-up there is most likely something to take: straight to the claim, whose
        // node check also ends the poll of a node that was revoked (a revocation wakes it too).
        const { rows: claimed, contended } = await this.claimRows(node, new Date(), round === 0);
        if (claimed.length > 0) return claimed.map(toEnvelope);
        const remaining = deadline - Date.now();
        if (!waiter || remaining <= 0) return [];
        // SKIP LOCKED passes over rows another transaction holds for a moment, the node's own row
        // during its heartbeat included; no wake-up follows such a commit, so what is still
        // deliverable is claimed again shortly instead of waiting out the poll.
        if (contended && (await this.commands.hasDeliverable(node.scope, node.storeId, new Date()))) {
          await new Promise((resolve) => setTimeout(resolve, CONTENDED_RETRY_MS));
          continue;
        }
        if ((await waiter.wait(remaining, signal)) !== 'woken') return [];
      } finally {
        waiter?.dispose();
      }
    }
    return [];
  }

  /** Claims what is deliverable now: PENDING → DELIVERED, attempt + 1, ack timer armed after commit. */
  async claim(node: NodePrincipal, now = new Date(), precheck = true): Promise<CommandRow[]> {
    return (await this.claimRows(node, now, precheck)).rows;
  }

  /** `contended`: the locking claim ran and took nothing (rows skipped, or taken by another poll). */
  private async claimRows(node: NodePrincipal, now: Date, precheck: boolean): Promise<{ rows: CommandRow[]; contended: boolean }> {
    // An idle poll costs one indexed read, not a transaction.
    if (precheck && !(await this.commands.hasDeliverable(node.scope, node.storeId, now))) return { rows: [], contended: false };
    const claimed = await this.transactions.run(async (tx) => {
      const rows = await this.commands.lockDeliverableForNode(tx, node.scope, node.storeId, node.nodeId, now);
      // Nothing to claim: the rare case where it matters whether the node is still active.
      if (rows.length === 0 && !(await this.nodes.isActive(node.scope, node.nodeId, tx))) throw revoked();
      const delivered: CommandRow[] = [];
      for (const row of rows) {
        const outcome = await this.transitions.apply(tx, node.scope, row, { type: 'DELIVER' }, { actor: nodeActor(node.nodeId), now });
        if (outcome.applied) delivered.push(outcome.row);
      }
      return delivered;
    });
    this.metrics.deliveredCommands.inc(claimed.length);
    return { rows: claimed, contended: claimed.length === 0 };
  }
}
