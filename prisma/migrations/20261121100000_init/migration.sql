-- CreateTable
CREATE TABLE `Tenant` (
    `id` VARCHAR(36) NOT NULL,
    `slug` VARCHAR(64) NOT NULL,
    `name` VARCHAR(200) NOT NULL,
    `createdAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),

    UNIQUE INDEX `Tenant_slug_key`(`slug`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `Operator` (
    `id` VARCHAR(36) NOT NULL,
    `tenantId` VARCHAR(36) NOT NULL,
    `email` VARCHAR(254) NOT NULL,
    `displayName` VARCHAR(120) NOT NULL,
    `passwordHash` VARCHAR(255) NOT NULL,
    `role` ENUM('ADMIN', 'MENU_EDITOR', 'SUPPORT', 'VIEWER') NOT NULL,
    `active` BOOLEAN NOT NULL DEFAULT true,
    `createdAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `lastLoginAt` DATETIME(3) NULL,

    UNIQUE INDEX `Operator_email_key`(`email`),
    INDEX `Operator_tenantId_email_idx`(`tenantId`, `email`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `Store` (
    `id` VARCHAR(36) NOT NULL,
    `tenantId` VARCHAR(36) NOT NULL,
    `code` VARCHAR(32) NOT NULL,
    `name` VARCHAR(200) NOT NULL,
    `timezone` VARCHAR(64) NOT NULL DEFAULT 'UTC',
    `lastCommandSeq` INTEGER NOT NULL DEFAULT 0,
    `createdAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `updatedAt` DATETIME(3) NOT NULL,

    INDEX `Store_tenantId_createdAt_idx`(`tenantId`, `createdAt`),
    UNIQUE INDEX `Store_tenantId_code_key`(`tenantId`, `code`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `StoreNode` (
    `id` VARCHAR(36) NOT NULL,
    `tenantId` VARCHAR(36) NOT NULL,
    `storeId` VARCHAR(36) NOT NULL,
    `hostname` VARCHAR(255) NOT NULL,
    `softwareVersion` VARCHAR(64) NOT NULL,
    `status` ENUM('ACTIVE', 'REVOKED') NOT NULL DEFAULT 'ACTIVE',
    `secretHash` CHAR(64) NOT NULL,
    `registeredAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `lastSeenAt` DATETIME(3) NULL,
    `outboxDepth` INTEGER NOT NULL DEFAULT 0,
    `hubSeq` BIGINT NOT NULL DEFAULT 0,
    `cloudCursor` BIGINT NOT NULL DEFAULT 0,
    `edgeReachable` BOOLEAN NOT NULL DEFAULT false,
    `lastCloudSyncAt` DATETIME(3) NULL,
    `revokedAt` DATETIME(3) NULL,
    `revokedReason` VARCHAR(500) NULL,

    INDEX `StoreNode_storeId_status_idx`(`storeId`, `status`),
    INDEX `StoreNode_tenantId_lastSeenAt_idx`(`tenantId`, `lastSeenAt`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `NodeBootstrapToken` (
    `id` VARCHAR(36) NOT NULL,
    `tenantId` VARCHAR(36) NOT NULL,
    `storeId` VARCHAR(36) NOT NULL,
    `tokenHash` CHAR(64) NOT NULL,
    `expiresAt` DATETIME(3) NOT NULL,
    `usedAt` DATETIME(3) NULL,
    `usedByNodeId` VARCHAR(36) NULL,
    `createdById` VARCHAR(36) NULL,
    `createdAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),

    UNIQUE INDEX `NodeBootstrapToken_tokenHash_key`(`tokenHash`),
    INDEX `NodeBootstrapToken_storeId_createdAt_idx`(`storeId`, `createdAt`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `StoreDomainState` (
    `storeId` VARCHAR(36) NOT NULL,
    `domain` ENUM('settings', 'menu', 'users', 'roles') NOT NULL,
    `tenantId` VARCHAR(36) NOT NULL,
    `desiredRevision` INTEGER NOT NULL DEFAULT 0,
    `appliedRevision` INTEGER NOT NULL DEFAULT 0,
    `appliedAt` DATETIME(3) NULL,
    `updatedAt` DATETIME(3) NOT NULL,

    INDEX `StoreDomainState_tenantId_storeId_idx`(`tenantId`, `storeId`),
    PRIMARY KEY (`storeId`, `domain`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `SyncRevision` (
    `id` VARCHAR(36) NOT NULL,
    `tenantId` VARCHAR(36) NOT NULL,
    `storeId` VARCHAR(36) NOT NULL,
    `domain` ENUM('settings', 'menu', 'users', 'roles') NOT NULL,
    `revision` INTEGER NOT NULL,
    `commandType` VARCHAR(40) NOT NULL,
    `payload` JSON NOT NULL,
    `state` JSON NOT NULL,
    `publishedById` VARCHAR(36) NULL,
    `createdAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),

    INDEX `SyncRevision_tenantId_createdAt_idx`(`tenantId`, `createdAt`),
    UNIQUE INDEX `SyncRevision_storeId_domain_revision_key`(`storeId`, `domain`, `revision`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `SyncCommand` (
    `id` VARCHAR(36) NOT NULL,
    `tenantId` VARCHAR(36) NOT NULL,
    `storeId` VARCHAR(36) NOT NULL,
    `seq` INTEGER NOT NULL,
    `domain` ENUM('settings', 'menu', 'users', 'roles') NOT NULL,
    `type` VARCHAR(40) NOT NULL,
    `revision` INTEGER NOT NULL,
    `baseRevision` INTEGER NULL,
    `revisionId` VARCHAR(36) NULL,
    `payload` JSON NOT NULL,
    `issuedAt` DATETIME(3) NOT NULL,
    `expiresAt` DATETIME(3) NOT NULL,
    `keyId` VARCHAR(128) NOT NULL,
    `signature` VARCHAR(128) NOT NULL,
    `status` ENUM('PENDING', 'DELIVERED', 'ACKED', 'FAILED', 'DEAD_LETTER', 'SUPERSEDED') NOT NULL DEFAULT 'PENDING',
    `attempts` INTEGER NOT NULL DEFAULT 0,
    `maxAttempts` INTEGER NOT NULL,
    `availableAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `deliveredAt` DATETIME(3) NULL,
    `ackDeadlineAt` DATETIME(3) NULL,
    `ackedAt` DATETIME(3) NULL,
    `appliedRevision` INTEGER NULL,
    `lastErrorCode` VARCHAR(40) NULL,
    `lastErrorDetail` TEXT NULL,
    `supersededById` VARCHAR(36) NULL,
    `createdAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `updatedAt` DATETIME(3) NOT NULL,

    INDEX `SyncCommand_storeId_status_seq_idx`(`storeId`, `status`, `seq`),
    INDEX `SyncCommand_tenantId_status_createdAt_idx`(`tenantId`, `status`, `createdAt`),
    INDEX `SyncCommand_revisionId_idx`(`revisionId`),
    UNIQUE INDEX `SyncCommand_storeId_seq_key`(`storeId`, `seq`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `SyncCommandLog` (
    `id` BIGINT NOT NULL AUTO_INCREMENT,
    `commandId` VARCHAR(36) NOT NULL,
    `tenantId` VARCHAR(36) NOT NULL,
    `fromStatus` ENUM('PENDING', 'DELIVERED', 'ACKED', 'FAILED', 'DEAD_LETTER', 'SUPERSEDED') NULL,
    `toStatus` ENUM('PENDING', 'DELIVERED', 'ACKED', 'FAILED', 'DEAD_LETTER', 'SUPERSEDED') NOT NULL,
    `event` VARCHAR(40) NOT NULL,
    `attempt` INTEGER NOT NULL,
    `errorCode` VARCHAR(40) NULL,
    `errorDetail` TEXT NULL,
    `actorType` ENUM('OPERATOR', 'NODE', 'SYSTEM') NOT NULL,
    `actorId` VARCHAR(36) NULL,
    `createdAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),

    INDEX `SyncCommandLog_commandId_id_idx`(`commandId`, `id`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `AuditLog` (
    `id` BIGINT NOT NULL AUTO_INCREMENT,
    `tenantId` VARCHAR(36) NOT NULL,
    `storeId` VARCHAR(36) NULL,
    `actorType` ENUM('OPERATOR', 'NODE', 'SYSTEM') NOT NULL,
    `actorId` VARCHAR(36) NULL,
    `action` VARCHAR(64) NOT NULL,
    `targetType` VARCHAR(40) NOT NULL,
    `targetId` VARCHAR(64) NULL,
    `details` JSON NULL,
    `createdAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),

    INDEX `AuditLog_tenantId_id_idx`(`tenantId`, `id`),
    INDEX `AuditLog_tenantId_storeId_id_idx`(`tenantId`, `storeId`, `id`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `IngestedEvent` (
    `cloudSeq` BIGINT NOT NULL AUTO_INCREMENT,
    `eventId` CHAR(36) NOT NULL,
    `tenantId` VARCHAR(36) NOT NULL,
    `storeId` VARCHAR(36) NOT NULL,
    `aggregateType` VARCHAR(16) NOT NULL,
    `aggregateId` VARCHAR(128) NOT NULL,
    `version` INTEGER NOT NULL,
    `type` VARCHAR(40) NOT NULL,
    `at` DATETIME(3) NOT NULL,
    `lamport` BIGINT NOT NULL,
    `deviceId` VARCHAR(64) NOT NULL,
    `hubSeq` BIGINT NULL,
    `origin` ENUM('hub', 'cloud') NOT NULL DEFAULT 'hub',
    `body` JSON NOT NULL,
    `contentHash` CHAR(64) NOT NULL,
    `receivedAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),

    UNIQUE INDEX `IngestedEvent_eventId_key`(`eventId`),
    INDEX `IngestedEvent_storeId_cloudSeq_idx`(`storeId`, `cloudSeq`),
    INDEX `IngestedEvent_storeId_aggregateId_version_idx`(`storeId`, `aggregateId`, `version`),
    PRIMARY KEY (`cloudSeq`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- AddForeignKey
ALTER TABLE `Operator` ADD CONSTRAINT `Operator_tenantId_fkey` FOREIGN KEY (`tenantId`) REFERENCES `Tenant`(`id`) ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE `Store` ADD CONSTRAINT `Store_tenantId_fkey` FOREIGN KEY (`tenantId`) REFERENCES `Tenant`(`id`) ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE `StoreNode` ADD CONSTRAINT `StoreNode_storeId_fkey` FOREIGN KEY (`storeId`) REFERENCES `Store`(`id`) ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE `NodeBootstrapToken` ADD CONSTRAINT `NodeBootstrapToken_storeId_fkey` FOREIGN KEY (`storeId`) REFERENCES `Store`(`id`) ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE `StoreDomainState` ADD CONSTRAINT `StoreDomainState_storeId_fkey` FOREIGN KEY (`storeId`) REFERENCES `Store`(`id`) ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE `SyncRevision` ADD CONSTRAINT `SyncRevision_storeId_fkey` FOREIGN KEY (`storeId`) REFERENCES `Store`(`id`) ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE `SyncCommand` ADD CONSTRAINT `SyncCommand_storeId_fkey` FOREIGN KEY (`storeId`) REFERENCES `Store`(`id`) ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE `SyncCommand` ADD CONSTRAINT `SyncCommand_revisionId_fkey` FOREIGN KEY (`revisionId`) REFERENCES `SyncRevision`(`id`) ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE `SyncCommandLog` ADD CONSTRAINT `SyncCommandLog_commandId_fkey` FOREIGN KEY (`commandId`) REFERENCES `SyncCommand`(`id`) ON DELETE RESTRICT ON UPDATE CASCADE;
