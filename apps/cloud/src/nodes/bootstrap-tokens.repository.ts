import { Injectable } from '@nestjs/common';
import type { ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { uuidv7 } from '@app/contracts';
import { PrismaService } from '../database/prisma.service.js';
import type { Tx } from '../database/transaction-runner.js';
import type { TenantScope } from '../tenancy/tenant-scope.js';

export interface BootstrapTokenRow {
  id: string;
  tenantId: string;
  storeId: string;
  expiresAt: Date;
  usedAt: Date | null;
}

interface TokenDbRow extends RowDataPacket, BootstrapTokenRow {}

/** One-time node bootstrap tokens; only their sha256 is stored. */
@Injectable()
export class BootstrapTokensRepository {
  constructor(private readonly prisma: PrismaService) {}

  async insert(tx: Tx, scope: TenantScope, input: { storeId: string; tokenHash: string; expiresAt: Date; createdById: string }, now: Date): Promise<string> {
    const id = uuidv7();
    await tx.connection.query(
      'INSERT INTO NodeBootstrapToken (id, tenantId, storeId, tokenHash, expiresAt, createdById, createdAt) VALUES (?, ?, ?, ?, ?, ?, ?)',
      [id, scope.tenantId, input.storeId, input.tokenHash, input.expiresAt, input.createdById, now],
    );
    return id;
  }

  /**
   * Consumes a token atomically: the conditional UPDATE succeeds for exactly one caller, and only
   * while the token is unused and unexpired. Returns the token, or null when it cannot be used.
   */
  async consume(tx: Tx, tokenHash: string, nodeId: string, now: Date): Promise<BootstrapTokenRow | null> {
    const [result] = await tx.connection.query<ResultSetHeader>(
      'UPDATE NodeBootstrapToken SET usedAt = ?, usedByNodeId = ? WHERE tokenHash = ? AND usedAt IS NULL AND expiresAt > ?',
      [now, nodeId, tokenHash, now],
    );
    if (result.affectedRows !== 1) return null;
    const [rows] = await tx.connection.query<TokenDbRow[]>('SELECT id, tenantId, storeId, expiresAt, usedAt FROM NodeBootstrapToken WHERE tokenHash = ?', [
      tokenHash,
    ]);
    return rows[0] ?? null;
  }

  /** Why a token could not be consumed (for the error the field tech sees). */
  findByHash(tokenHash: string): Promise<BootstrapTokenRow | null> {
    return this.prisma.nodeBootstrapToken.findUnique({
      where: { tokenHash },
      select: { id: true, tenantId: true, storeId: true, expiresAt: true, usedAt: true },
    });
  }
}
