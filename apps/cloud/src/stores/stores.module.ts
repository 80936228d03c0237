import { Module } from '@nestjs/common';
import { StoresRepository } from './stores.repository.js';

@Module({ providers: [StoresRepository], exports: [StoresRepository] })
export class StoresModule {}
