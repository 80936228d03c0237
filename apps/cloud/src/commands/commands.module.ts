import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { NodesDataModule } from '../nodes/nodes-data.module.js';
import { StoresModule } from '../stores/stores.module.js';
import { SyncStateModule } from '../sync-state/sync-state.module.js';
import { CommandAckService } from './command-ack.service.js';
import { CommandDeliveryService } from './command-delivery.service.js';
import { CommandOpsController } from './command-ops.controller.js';
import { CommandOpsService } from './command-ops.service.js';
import { CommandQueriesRepository } from './command-queries.repository.js';
import { CommandSigner } from './command-signer.service.js';
import { CommandTimersScheduler } from './command-timers.scheduler.js';
import { CommandTimersService } from './command-timers.service.js';
import { CommandTransitions } from './command-transitions.service.js';
import { CommandWakeupService } from './command-wakeup.service.js';
import { CommandWriter } from './command-writer.service.js';
import { CommandsRepository } from './commands.repository.js';
import { NodeCommandsController } from './node-commands.controller.js';

/** The command core: creation, delivery, acks, timers, support operations. */
@Module({
  imports: [AuditModule, NodesDataModule, StoresModule, SyncStateModule],
  controllers: [NodeCommandsController, CommandOpsController],
  providers: [
    CommandsRepository,
    CommandQueriesRepository,
    CommandSigner,
    CommandWriter,
    CommandTransitions,
    CommandTimersScheduler,
    CommandTimersService,
    CommandWakeupService,
    CommandDeliveryService,
    CommandAckService,
    CommandOpsService,
  ],
  exports: [CommandsRepository, CommandWriter, CommandTransitions, CommandWakeupService, CommandTimersService],
})
export class CommandsModule {}
