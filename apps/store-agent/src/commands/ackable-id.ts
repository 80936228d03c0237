/** Ids that can be acked: a command whose id or seq cannot be read cannot be answered at all. */
export function ackableIdOf(raw: unknown): { commandId: string; seq: number | null } | null {
  if (!raw || typeof raw !== 'object') return null;
  const { commandId, seq } = raw as { commandId?: unknown; seq?: unknown };
  if (typeof commandId !== 'string' || !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(commandId)) return null;
  return { commandId, seq: typeof seq === 'number' && Number.isInteger(seq) && seq > 0 ? seq : null };
}
