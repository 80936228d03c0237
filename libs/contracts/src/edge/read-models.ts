import { z } from 'zod';

/** Query strings of the hub's read-model routes (SYSTEM.md section 6). */
export const ORDER_STATUSES = ['active', 'parked', 'paid'] as const;
export const ordersQuerySchema = z.object({
  /** `open` (the default): active and parked orders. */
  status: z.enum([...ORDER_STATUSES, 'open']).default('open'),
});
export type OrdersQuery = z.infer<typeof ordersQuerySchema>;

export const TICKET_STATUSES = ['new', 'ack', 'done'] as const;
export const ticketsQuerySchema = z.object({
  station: z.enum(['kitchen', 'bar']).optional(),
  /** `open`: new and acknowledged tickets, oldest first; absent: all recent tickets, newest first. */
  status: z.enum([...TICKET_STATUSES, 'open']).optional(),
});
export type TicketsQuery = z.infer<typeof ticketsQuerySchema>;
