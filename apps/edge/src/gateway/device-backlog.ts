import { Injectable, Logger } from '@nestjs/common';
import { HUB_EVENTS, type ClusterTokenClaims } from '@app/contracts';
import type { Socket } from 'socket.io';
import { EdgeConfig } from '../config/edge-config.js';
import { EdgeMetrics } from '../metrics/edge-metrics.js';
import { tcpSocketOf } from './batched-writes.js';
import { backlogOf } from './socket-backlog.js';

/**
 * Below this many bytes waiting for a device, its previous catch-up page has gone to the kernel:
 * the next may be sent. Far below one page (1,000 events, hundreds of KB), above a few relays.
 */
const PAGE_DRAINED_BYTES = 64 * 1024;

/** How long a dropped device has to read its `hub.error` before its TCP socket is destroyed. */
const DROP_GRACE_MS = 1_000;

/**
 * Every send to a device (relay, catch-up page, a refusal) counts against one bounded backlog per
 * connection: EDGE_RELAY_BACKLOG_MAX packets and EDGE_DEVICE_BACKLOG_MAX_BYTES bytes that the
 * device has not read yet. A connection past either is dropped with `hub.error`
 * `BACKLOG_EXCEEDED`, a log line and a metric: it would otherwise grow the hub's memory without
 * bound. The device reconnects and catches up from its cursor; the others are not affected.
 */
@Injectable()
export class DeviceBacklog {
  private readonly logger = new Logger(DeviceBacklog.name);
  private readonly maxPackets: number;
  private readonly maxBytes: number;

  constructor(
    config: EdgeConfig,
    private readonly metrics: EdgeMetrics,
  ) {
    this.maxPackets = config.relayBacklogMax;
    this.maxBytes = config.deviceBacklogMaxBytes;
  }

  /** May `socket` be sent more? If its backlog is past the bound, it is dropped and the answer is no. */
  admit(socket: Socket, sending: 'relay' | 'page' | 'error'): boolean {
    if (!socket.connected) return false;
    const backlog = backlogOf(socket.conn);
    if (backlog.packets <= this.maxPackets && backlog.bytes <= this.maxBytes) return true;
    const deviceId = (socket.data as { claims?: ClusterTokenClaims }).claims?.sub;
    const message =
      `the device stopped reading: ${backlog.packets} messages (${backlog.bytes} bytes) wait for it, the bound is ` +
      `${this.maxPackets} messages and ${this.maxBytes} bytes (EDGE_RELAY_BACKLOG_MAX, EDGE_DEVICE_BACKLOG_MAX_BYTES); reconnect and catch up from your cursor`;
    this.logger.warn({ deviceId, sending, ...backlog }, `dropping device ${deviceId ?? socket.id}: ${message}`);
    this.metrics.countDeviceDropped('BACKLOG_EXCEEDED');
    socket.emit(HUB_EVENTS.error, { code: 'BACKLOG_EXCEEDED', message, packets: backlog.packets, bytes: backlog.bytes });
    // engine.io closes only once its buffer has drained, which a device that does not read never
    // lets happen: the TCP socket is destroyed after a short grace instead.
    const tcp = tcpSocketOf(socket.conn);
    socket.disconnect(true);
    if (tcp) setTimeout(() => tcp.destroy(), DROP_GRACE_MS).unref();
    return false;
  }

  /** Has what was sent to `socket` (its last catch-up page above all) gone out to the device? */
  drained(socket: Socket): boolean {
    return backlogOf(socket.conn).bytes < PAGE_DRAINED_BYTES;
  }
}
