import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { EdgeAuditController } from './audit.controller.js';
import { EdgeAuditRepository } from './audit.repository.js';
import { EdgeAuditService } from './audit.service.js';

@Module({ imports: [AuthModule], controllers: [EdgeAuditController], providers: [EdgeAuditService, EdgeAuditRepository], exports: [EdgeAuditService] })
export class EdgeAuditModule {}
