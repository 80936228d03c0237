-- CreateTable
CREATE TABLE `ProjectionDeadLetter` (
    `id` BIGINT NOT NULL AUTO_INCREMENT,
    `tenantId` VARCHAR(36) NOT NULL,
    `storeId` VARCHAR(36) NOT NULL,
    `projection` VARCHAR(32) NOT NULL,
    `cloudSeq` BIGINT NOT NULL,
    `eventId` CHAR(36) NOT NULL,
    `eventType` VARCHAR(40) NOT NULL,
    `reason` VARCHAR(32) NOT NULL,
    `detail` VARCHAR(500) NOT NULL,
    `createdAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),

    INDEX `ProjectionDeadLetter_tenantId_storeId_cloudSeq_idx`(`tenantId`, `storeId`, `cloudSeq`),
    UNIQUE INDEX `ProjectionDeadLetter_storeId_projection_cloudSeq_key`(`storeId`, `projection`, `cloudSeq`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
