import { Module } from '@nestjs/common';
import { StoresModule } from '../stores/stores.module.js';
import { AuditController } from './audit.controller.js';
import { AuditModule } from './audit.module.js';

/** The audit log's HTTP side (it needs the stores; the audit writer is needed by the stores). */
@Module({ imports: [AuditModule, StoresModule], controllers: [AuditController] })
export class AuditHttpModule {}
