import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { StoresModule } from '../stores/stores.module.js';
import { DeviceTokensController } from './device-tokens.controller.js';
import { DeviceTokensService } from './device-tokens.service.js';

@Module({ imports: [AuditModule, StoresModule], controllers: [DeviceTokensController], providers: [DeviceTokensService] })
export class DeviceTokensModule {}
