-- CreateIndex
CREATE INDEX `SyncCommand_tenantId_createdAt_idx` ON `SyncCommand`(`tenantId`, `createdAt`);

-- CreateIndex
CREATE INDEX `SyncCommand_storeId_createdAt_idx` ON `SyncCommand`(`storeId`, `createdAt`);

-- CreateIndex
CREATE INDEX `SyncCommand_storeId_domain_seq_idx` ON `SyncCommand`(`storeId`, `domain`, `seq`);

-- CreateIndex
CREATE INDEX `SyncCommand_status_ackDeadlineAt_idx` ON `SyncCommand`(`status`, `ackDeadlineAt`);

-- CreateIndex
CREATE INDEX `SyncCommand_status_availableAt_idx` ON `SyncCommand`(`status`, `availableAt`);

-- CreateIndex
CREATE INDEX `IngestedEvent_storeId_origin_cloudSeq_idx` ON `IngestedEvent`(`storeId`, `origin`, `cloudSeq`);

-- CreateTable
CREATE TABLE `StoreSalesDay` (
    `storeId` VARCHAR(36) NOT NULL,
    `day` DATE NOT NULL,
    `tenantId` VARCHAR(36) NOT NULL,
    `orders` INTEGER NOT NULL DEFAULT 0,
    `salesCents` BIGINT NOT NULL DEFAULT 0,
    `updatedAt` DATETIME(3) NOT NULL,

    INDEX `StoreSalesDay_tenantId_storeId_day_idx`(`tenantId`, `storeId`, `day`),
    PRIMARY KEY (`storeId`, `day`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `StoreProjectionCursor` (
    `storeId` VARCHAR(36) NOT NULL,
    `tenantId` VARCHAR(36) NOT NULL,
    `lastCloudSeq` BIGINT NOT NULL DEFAULT 0,
    `updatedAt` DATETIME(3) NOT NULL,

    PRIMARY KEY (`storeId`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
