import { Injectable } from '@nestjs/common';
import { uuidv7 } from '@app/contracts';
import { PrismaService } from '../database/prisma.service.js';

export interface TenantRow {
  id: string;
  slug: string;
  name: string;
  createdAt: Date;
}

@Injectable()
export class TenantsRepository {
  constructor(private readonly prisma: PrismaService) {}

  findBySlug(slug: string): Promise<TenantRow | null> {
    return this.prisma.tenant.findUnique({ where: { slug } });
  }

  findById(id: string): Promise<TenantRow | null> {
    return this.prisma.tenant.findUnique({ where: { id } });
  }

  create(input: { slug: string; name: string }): Promise<TenantRow> {
    return this.prisma.tenant.create({ data: { id: uuidv7(), slug: input.slug, name: input.name } });
  }
}
