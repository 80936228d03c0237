import { Module } from '@nestjs/common';
import { CommandTimersProcessor } from '../commands/command-timers.processor.js';
import { CommandsModule } from '../commands/commands.module.js';
import { ProjectionsProcessor } from '../projections/projections.processor.js';
import { ProjectionsModule } from '../projections/projections.module.js';
import { RedisStateWatch } from '../queues/redis-state-watch.js';
import { RepeatableJobs } from '../queues/repeatable-jobs.js';
import { ReconciliationProcessor } from '../reconciliation/reconciliation.processor.js';
import { ReconciliationModule } from '../reconciliation/reconciliation.module.js';
import { RetentionModule } from '../retention/retention.module.js';
import { RetentionProcessor } from '../retention/retention.processor.js';

/**
 * The BullMQ workers (command timers, projections, reconciliation, retention), the job schedulers
 * (RepeatableJobs: a periodic job registers there) and the recovery of what Redis lost
 * (RedisStateWatch). Only the cloud application runs them; one-shot processes that reuse the
 * services (the demo seed) do not.
 */
@Module({
  imports: [CommandsModule, ProjectionsModule, ReconciliationModule, RetentionModule],
  providers: [RedisStateWatch, RepeatableJobs, CommandTimersProcessor, ProjectionsProcessor, ReconciliationProcessor, RetentionProcessor],
})
export class WorkersModule {}
