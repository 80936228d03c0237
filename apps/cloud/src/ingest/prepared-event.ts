import { formatIssue, hubSeqSchema, validate, validateEvent, type EventBase, type IngestRejection } from '@app/contracts';
import { sha256Hex } from '@app/crypto';
import { canonicalEventJson } from './event-canonical.js';

/** An event ready to store: validated, in the realm, with its canonical body and content hash. */
export interface PreparedEvent {
  index: number;
  event: EventBase;
  hubSeq: number | null;
  /** Canonical JSON of the EventBase fields: what is stored and what the hash covers. */
  body: string;
  contentHash: string;
}

export interface Realm {
  tenantId: string;
  storeId: string;
}

function eventIdOf(raw: unknown): string | null {
  const id = (raw as { eventId?: unknown } | null)?.eventId;
  return typeof id === 'string' && id.length <= 64 ? id : null;
}

/**
 * Checks one event on its own (a bad event is rejected, its neighbours are not): the EventBase
 * schema with its payload, the hub's optional `seq`, and the realm. The content hash is over the
 * canonical JSON of the EventBase fields only, so the hub's `seq` riding along does not make a
 * resend look different.
 */
export function prepareEvent(raw: unknown, index: number, realm: Realm): PreparedEvent | IngestRejection {
  const checked = validateEvent(raw);
  if (!checked.ok)
    return { eventId: eventIdOf(raw), index, code: 'INVALID', message: checked.issues.map(formatIssue).join('; '), field: checked.issues[0]?.path ?? '' };
  const event = checked.value;
  const seq = (raw as { seq?: unknown }).seq;
  let hubSeq: number | null = null;
  if (seq !== undefined && seq !== null) {
    const parsed = validate(hubSeqSchema, seq, 'seq');
    if (!parsed.ok) return { eventId: event.eventId, index, code: 'INVALID', message: parsed.issues.map(formatIssue).join('; '), field: 'seq' };
    hubSeq = parsed.value;
  }
  if (event.tenantId !== realm.tenantId || event.storeId !== realm.storeId) {
    return {
      eventId: event.eventId,
      index,
      code: 'REALM_MISMATCH',
      message: `the event is for ${event.tenantId}/${event.storeId}, not for ${realm.tenantId}/${realm.storeId}`,
    };
  }
  const body = canonicalEventJson(event);
  return { index, event, hubSeq, body, contentHash: sha256Hex(body) };
}

export function isRejection(value: PreparedEvent | IngestRejection): value is IngestRejection {
  return 'code' in value;
}
