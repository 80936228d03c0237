import { Module } from '@nestjs/common';
import { BootstrapTokensRepository } from './bootstrap-tokens.repository.js';
import { NodesRepository } from './nodes.repository.js';

/** The node tables, shared by node authentication (auth/) and node management (nodes/). */
@Module({ providers: [NodesRepository, BootstrapTokensRepository], exports: [NodesRepository, BootstrapTokensRepository] })
export class NodesDataModule {}
