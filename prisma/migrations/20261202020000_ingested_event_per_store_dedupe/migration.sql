-- Event ids are deduplicated per store, not across the whole cloud: one store's event id never
-- pre-empts (or reveals) another store's event. The new key also leads with the realm, so the
-- ingest's lookups by (tenantId, storeId, eventId IN ...) use it directly. One ALTER TABLE, so
-- that no moment passes without a unique key while agents keep uploading.
-- DropIndex, CreateIndex
ALTER TABLE `IngestedEvent` DROP INDEX `IngestedEvent_eventId_key`,
    ADD UNIQUE INDEX `IngestedEvent_tenantId_storeId_eventId_key`(`tenantId`, `storeId`, `eventId`);
