import { Module } from '@nestjs/common';
import { TenantsModule } from '../tenants/tenants.module.js';
import { FirstAdminService } from './first-admin.service.js';
import { OperatorsRepository } from './operators.repository.js';

@Module({ imports: [TenantsModule], providers: [OperatorsRepository, FirstAdminService], exports: [OperatorsRepository, FirstAdminService] })
export class OperatorsModule {}
