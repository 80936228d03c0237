import { Module } from '@nestjs/common';
import { EdgeHealthController } from './health.controller.js';
import { EdgeHealthRepository } from './health.repository.js';
import { EdgeHealthService } from './health.service.js';

@Module({ controllers: [EdgeHealthController], providers: [EdgeHealthService, EdgeHealthRepository] })
export class EdgeHealthModule {}
