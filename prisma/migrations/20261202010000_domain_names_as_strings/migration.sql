-- The synced domains are declared in code, once each (libs/contracts/src/domains); the database holds
-- their names as strings, which the registry validates (lower case, at most 32 characters), so adding
-- a domain needs no migration. The values stay as they were: an ENUM converts to its labels.
-- (MariaDB rebuilds each table: on a large SyncCommand table this takes a while, with the table
-- readable throughout.)

-- AlterTable
ALTER TABLE `StoreDomainState` MODIFY `domain` VARCHAR(32) NOT NULL;

-- AlterTable
ALTER TABLE `SyncRevision` MODIFY `domain` VARCHAR(32) NOT NULL;

-- AlterTable
ALTER TABLE `SyncCommand` MODIFY `domain` VARCHAR(32) NOT NULL;
