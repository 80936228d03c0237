-- Revisions keep their whole state only on checkpoints (every REVISION_CHECKPOINT_INTERVAL-th
-- revision) and on the latest revision of each domain; the others hold their patch alone and are
-- replayed from the checkpoint before them. Rows written before this migration keep their state:
-- a row with a state is its own checkpoint, so the old history stays readable as it is.

-- AlterTable
ALTER TABLE `SyncRevision` MODIFY `state` JSON NULL;
