import { Injectable } from '@nestjs/common';
import type { CloudEventAppendResponse, ClusterTokenClaims } from '@app/contracts';
import { EventStoreService } from '../event-store/event-store.service.js';
import { CloudEventRefusedException } from './cloud-events.exception.js';

/**
 * Events from the cloud side (an HQ action that the store's devices must see), posted by the
 * agent. They go through the same checks and relay as a device's, marked `origin: cloud` so the
 * outbox never ships them back up.
 */
@Injectable()
export class CloudEventsService {
  constructor(private readonly events: EventStoreService) {}

  async append(event: unknown, caller: ClusterTokenClaims): Promise<CloudEventAppendResponse> {
    const ack = await this.events.append(event, { deviceId: caller.sub, role: caller.role, origin: 'cloud' });
    if (ack.ok) return { seq: ack.seq, duplicate: ack.duplicate === true };
    // The ack's own fields (currentVersion, holder...) and its validation issues, side by side.
    const { ok: _ok, code, message, details, ...fields } = ack;
    const merged = { ...fields, ...(typeof details === 'object' && details !== null ? details : {}) };
    throw new CloudEventRefusedException(code, message, Object.keys(merged).length > 0 ? merged : undefined);
  }
}
