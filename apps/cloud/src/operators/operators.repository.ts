import { Injectable } from '@nestjs/common';
import type { RowDataPacket } from 'mysql2/promise';
import { uuidv7 } from '@app/contracts';
import { SqlPool } from '../database/sql-pool.js';
import { PrismaService } from '../database/prisma.service.js';
import type { TenantScope } from '../tenancy/tenant-scope.js';
import type { OperatorRole } from './operator-roles.js';

export interface OperatorRow {
  id: string;
  tenantId: string;
  email: string;
  displayName: string;
  passwordHash: string;
  role: OperatorRole;
  active: boolean;
  createdAt: Date;
  lastLoginAt: Date | null;
}

export interface OperatorWithTenant extends OperatorRow {
  tenantSlug: string;
}

export interface NewOperator {
  email: string;
  displayName: string;
  passwordHash: string;
  role: OperatorRole;
}

@Injectable()
export class OperatorsRepository {
  constructor(
    private readonly prisma: PrismaService,
    private readonly pool: SqlPool,
  ) {}

  /** Any operator at all: the cloud creates its first admin only on an empty database. */
  async anyExists(): Promise<boolean> {
    return (await this.prisma.operator.findFirst({ select: { id: true } })) !== null;
  }

  /** Login looks operators up by email across tenants: the email decides the tenant. */
  findByEmailForLogin(email: string): Promise<OperatorRow | null> {
    return this.prisma.operator.findUnique({ where: { email: email.toLowerCase() } });
  }

  findById(scope: TenantScope, id: string): Promise<OperatorRow | null> {
    return this.prisma.operator.findFirst({ where: { id, tenantId: scope.tenantId } });
  }

  /** Runs on every operator request (authentication), hence one plain indexed query. */
  async findWithTenant(scope: TenantScope, id: string): Promise<OperatorWithTenant | null> {
    const [rows] = await this.pool.query<(RowDataPacket & Omit<OperatorWithTenant, 'active'> & { active: number })[]>(
      `SELECT o.id, o.tenantId, o.email, o.displayName, o.passwordHash, o.role, o.active, o.createdAt, o.lastLoginAt, t.slug AS tenantSlug
         FROM Operator o JOIN Tenant t ON t.id = o.tenantId WHERE o.id = ? AND o.tenantId = ?`,
      [id, scope.tenantId],
    );
    const row = rows[0];
    return row ? { ...row, active: Boolean(row.active) } : null;
  }

  async recordLogin(scope: TenantScope, id: string, at: Date): Promise<void> {
    await this.prisma.operator.updateMany({ where: { id, tenantId: scope.tenantId }, data: { lastLoginAt: at } });
  }

  create(scope: TenantScope, input: NewOperator): Promise<OperatorRow> {
    return this.prisma.operator.create({ data: { id: uuidv7(), tenantId: scope.tenantId, ...input, email: input.email.toLowerCase() } });
  }
}
