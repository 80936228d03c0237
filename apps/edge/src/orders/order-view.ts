import type { OrderItem } from '@app/contracts';

export type OrderStatus = 'active' | 'parked' | 'paid';

/** An order as GET /api/v1/orders shows it. */
export interface OrderView {
  orderId: string;
  status: OrderStatus;
  version: number;
  items: OrderItem[];
  tableId: string | null;
  note: string | null;
  totalCents: number | null;
  lease: { holder: string; expiresAt: string } | null;
  createdAt: string;
  updatedAt: string;
  lastSeq: number;
}
