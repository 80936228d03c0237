import { z } from 'zod';
import { idSchema, positiveIntSchema, uuidSchema } from '../common/primitives.js';

/**
 * Payloads of the cloud's BullMQ jobs. They are internal to the cloud, but a job outlives the
 * process that queued it (a newer version may pick it up), so workers check them like any input.
 */
export const commandTimerJobSchema = z.object({
  commandId: uuidSchema,
  /** The delivery attempt the timer belongs to. */
  attempt: positiveIntSchema,
  /** Epoch ms the timer is due: the ack deadline, or the time the retry becomes due. */
  dueAt: positiveIntSchema,
});
export type CommandTimerJob = z.infer<typeof commandTimerJobSchema>;

export const projectStoreJobSchema = z.object({ storeId: idSchema });
export type ProjectStoreJob = z.infer<typeof projectStoreJobSchema>;
