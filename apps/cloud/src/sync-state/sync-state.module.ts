import { Module } from '@nestjs/common';
import { DomainStatesRepository } from './domain-states.repository.js';

@Module({ providers: [DomainStatesRepository], exports: [DomainStatesRepository] })
export class SyncStateModule {}
