import { Module } from '@nestjs/common';
import { LogRetentionRepository } from './log-retention.repository.js';
import { LogRetentionService } from './log-retention.service.js';

@Module({ providers: [LogRetentionRepository, LogRetentionService], exports: [LogRetentionService] })
export class LogRetentionModule {}
