import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { AuthModule } from '../auth/auth.module.js';
import { CommandsModule } from '../commands/commands.module.js';
import { StoresModule } from '../stores/stores.module.js';
import { SyncStateModule } from '../sync-state/sync-state.module.js';
import { NodeAdminController } from './node-admin.controller.js';
import { NodeAdminService } from './node-admin.service.js';
import { NodeCredentialsService } from './node-credentials.service.js';
import { NodeIdentityController } from './node-identity.controller.js';
import { NodeIdentityService } from './node-identity.service.js';
import { NodeRevocationsService } from './node-revocations.service.js';
import { NodesDataModule } from './nodes-data.module.js';

@Module({
  imports: [AuditModule, AuthModule, CommandsModule, NodesDataModule, StoresModule, SyncStateModule],
  controllers: [NodeAdminController, NodeIdentityController],
  providers: [NodeAdminService, NodeIdentityService, NodeCredentialsService, NodeRevocationsService],
})
export class NodesModule {}
