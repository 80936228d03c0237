import type { Writable } from 'node:stream';
import { Logger } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  SubscribeMessage,
  WebSocketGateway,
  WebSocketServer,
  type OnGatewayConnection,
  type OnGatewayDisconnect,
  type OnGatewayInit,
} from '@nestjs/websockets';
import type { Server, Socket } from 'socket.io';
import {
  EVENTS_BULK_PAGE_SIZE,
  HUB_EVENTS,
  cursorRequestSchema,
  formatIssue,
  helloSchema,
  validate,
  type AppendAck,
  type ClusterTokenClaims,
  type EventsBulk,
  type HelloAck,
} from '@app/contracts';
import { AppException } from '@app/nest-kit';
import { ClusterTokenService } from '../auth/cluster-token.service.js';
import { TokenRevocations } from '../auth/token-revocations.service.js';
import { EdgeConfig } from '../config/edge-config.js';
import { EventRelay } from '../event-store/event-relay.js';
import { EventStoreService } from '../event-store/event-store.service.js';
import { RateLimiter } from '../event-store/rate-limiter.js';
import { EdgeMetrics } from '../metrics/edge-metrics.js';
import { LogRetentionService } from '../retention/log-retention.service.js';
import { batchTransportWrites, tcpSocketOf } from './batched-writes.js';
import { CatchUpPacer } from './catch-up-pacer.js';
import { DeviceBacklog } from './device-backlog.js';
import { DeviceNotifier } from './device-notifier.js';
import { DeviceRegistry } from './device-registry.js';

/**
 * Catch-up pages one device may ask for: each costs the hub a read of up to 1,000 events, and a
 * device catching up needs one per 1,000 events (a 100,000-event catch-up: 100 pages in ~2 s).
 */
const PAGES_PER_SECOND = 100;
const PAGES_BURST = 200;

/** Largest Socket.IO message the hub reads; a bigger one closes that connection (engine.io). */
export const MAX_SOCKET_MESSAGE_BYTES = 256 * 1024;

interface SocketData {
  claims: ClusterTokenClaims;
}

/**
 * The devices' Socket.IO door (SYSTEM.md 4.2). It authenticates the handshake, keeps each device in
 * its realm's room, and hands every message to the event store; it holds no rule of its own.
 * Every handler answers a bad message with an error and never throws.
 */
@WebSocketGateway({ maxHttpBufferSize: MAX_SOCKET_MESSAGE_BYTES, serveClient: false })
export class HubGateway implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect {
  private readonly logger = new Logger(HubGateway.name);
  private readonly room: string;
  private readonly pageLimiter = new RateLimiter(PAGES_PER_SECOND, PAGES_BURST);

  @WebSocketServer() private server!: Server;

  constructor(
    config: EdgeConfig,
    private readonly tokens: ClusterTokenService,
    private readonly store: EventStoreService,
    private readonly relay: EventRelay,
    private readonly notifier: DeviceNotifier,
    private readonly registry: DeviceRegistry,
    private readonly revocations: TokenRevocations,
    private readonly metrics: EdgeMetrics,
    private readonly retention: LogRetentionService,
    private readonly backlog: DeviceBacklog,
    private readonly pacer: CatchUpPacer,
  ) {
    this.room = `realm:${config.tenantId}:${config.storeId}`;
  }

  afterInit(server: Server): void {
    server.use((socket, next) => {
      try {
        const token: unknown = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
        (socket.data as SocketData).claims = this.tokens.verify(typeof token === 'string' ? token : '');
        next();
      } catch (error) {
        next(new Error(error instanceof AppException ? error.message : 'unauthorized'));
      }
    });
    // One JSON encoding per committed event, written to every other socket of the realm.
    this.relay.attach((batch) => {
      const corked = this.prepareRealm(server);
      const members = server.of('/').adapter.rooms.get(this.room);
      let deliveries = 0;
      try {
        for (const { event, exceptSocketId } of batch) {
          const target = exceptSocketId ? server.to(this.room).except(exceptSocketId) : server.to(this.room);
          target.emit(HUB_EVENTS.eventsRelay, event);
          if (members) deliveries += members.size - (exceptSocketId && members.has(exceptSocketId) ? 1 : 0);
        }
      } finally {
        this.metrics.countDeliveries(deliveries);
        for (const socket of corked) socket.uncork();
      }
    });
    this.notifier.attach(server, this.room);
    // A revocation also ends the connections its subject already holds (the handshake check alone
    // would leave them open until they reconnect).
    this.revocations.onRevoked((subjects) => {
      for (const socket of server.sockets.sockets.values()) {
        const claims = (socket.data as Partial<SocketData>).claims;
        if (!claims || !subjects.has(claims.sub)) continue;
        this.refuse(socket, 'UNAUTHORIZED', 'token was revoked: its node was revoked by HQ');
        socket.disconnect(true);
      }
    });
  }

  handleConnection(socket: Socket): void {
    const { claims } = socket.data as SocketData;
    this.registry.add(socket.id, { deviceId: claims.sub, role: claims.role, connectedAt: new Date().toISOString() });
    batchTransportWrites(socket.conn as unknown as Parameters<typeof batchTransportWrites>[0]);
    // The hot path is bound directly rather than through @SubscribeMessage: it skips a per-message
    // observable pipeline, and the ack is answered here in every case.
    const context = { deviceId: claims.sub, role: claims.role, origin: 'device', socketId: socket.id } as const;
    socket.on(HUB_EVENTS.eventsAppend, (...args: unknown[]) => {
      const ack = args[args.length - 1];
      const event = args.length > 1 || typeof ack !== 'function' ? args[0] : undefined;
      if (typeof ack !== 'function') return this.refuse(socket, 'INVALID', 'events.append needs an ack callback');
      this.store.append(event, context).then(
        (result) => ack(result),
        (error: unknown) => {
          this.logger.error({ err: error }, 'append failed');
          ack({ ok: false, code: 'UNAVAILABLE', message: 'the hub could not store the event; retry later' } satisfies AppendAck);
        },
      );
    });
  }

  handleDisconnect(socket: Socket): void {
    this.registry.remove(socket.id);
    this.pacer.forget(socket.id);
  }

  @SubscribeMessage(HUB_EVENTS.hello)
  hello(@ConnectedSocket() socket: Socket, @MessageBody() body: unknown): void {
    const { claims } = socket.data as SocketData;
    const hello = validate(helloSchema, body);
    if (!hello.ok) return this.refuse(socket, 'INVALID', `invalid hello: ${hello.issues.map(formatIssue).join('; ')}`);
    if (hello.value.tenantId !== claims.tenantId || hello.value.storeId !== claims.storeId) {
      return this.refuse(
        socket,
        'REALM_MISMATCH',
        `hello is for ${hello.value.tenantId}/${hello.value.storeId}, the token for ${claims.tenantId}/${claims.storeId}`,
      );
    }
    if (hello.value.deviceId !== claims.sub) return this.refuse(socket, 'INVALID', `hello deviceId must be the token's subject (${claims.sub})`);
    // A hello costs a catch-up page too: it shares the device's page budget.
    const retryAfterMs = this.pageLimiter.take(claims.sub);
    if (retryAfterMs > 0) return this.refuse(socket, 'RATE_LIMITED', 'too many catch-up requests', { retryAfterMs });
    const latest = this.store.latestSeq();
    const prunedThrough = this.retention.prunedThrough();
    // Behind the pruned log, a device takes a snapshot (read models over HTTP) rather than a gap.
    const snapshotNeeded = hello.value.cursor > latest || hello.value.cursor < prunedThrough;
    const ack: HelloAck = { leaderId: this.store.leaderId(), snapshotNeeded, cursor: latest, lamport: this.store.currentLamport(), prunedThrough };
    void socket.join(this.room);
    socket.emit(HUB_EVENTS.helloAck, ack);
    this.pacer.request(socket, !snapshotNeeded ? hello.value.cursor : prunedThrough > 0 ? latest : 0, this.sendPage);
  }

  @SubscribeMessage(HUB_EVENTS.cursorRequest)
  cursorRequest(@ConnectedSocket() socket: Socket, @MessageBody() body: unknown): void {
    const retryAfterMs = this.pageLimiter.take((socket.data as SocketData).claims.sub);
    if (retryAfterMs > 0) return this.refuse(socket, 'RATE_LIMITED', 'too many catch-up requests', { retryAfterMs });
    const request = validate(cursorRequestSchema, body);
    if (!request.ok) return this.refuse(socket, 'INVALID', `invalid cursor.request: ${request.issues.map(formatIssue).join('; ')}`);
    const from = 'fromSeq' in request.value ? request.value.fromSeq : this.store.cursorAtLamport(request.value.fromLamport);
    // The log was pruned past it meanwhile: the device says hello again and takes a snapshot.
    if (from < this.retention.prunedThrough())
      return this.refuse(socket, 'SNAPSHOT_NEEDED', `the events after ${from} were pruned (through ${this.retention.prunedThrough()}); say hello again`);
    this.pacer.request(socket, from, this.sendPage);
  }

  /**
   * Before a group's relays: drops a device that has stopped reading (its backlog passed the bound,
   * DeviceBacklog), and corks the TCP socket of every other device, so each gets one write
   * (syscall) per group rather than one per event.
   */
  private prepareRealm(server: Server): Writable[] {
    const corked: Writable[] = [];
    for (const id of server.of('/').adapter.rooms.get(this.room) ?? []) {
      const socket = server.of('/').sockets.get(id);
      if (!socket) continue;
      if (!this.backlog.admit(socket, 'relay')) continue;
      const tcp = tcpSocketOf(socket.conn);
      if (tcp) {
        tcp.cork();
        corked.push(tcp);
      }
    }
    return corked;
  }

  /** One catch-up page, counted against the device's backlog like a relay (paced by CatchUpPacer). */
  private readonly sendPage = (socket: Socket, afterSeq: number): void => {
    if (!this.backlog.admit(socket, 'page')) return;
    try {
      const page: EventsBulk = this.store.page(afterSeq, EVENTS_BULK_PAGE_SIZE);
      socket.emit(HUB_EVENTS.eventsBulk, page);
    } catch (error) {
      this.logger.error({ err: error }, 'catch-up page failed');
      this.refuse(socket, 'UNAVAILABLE', 'the hub could not read its events; retry later');
    }
  };

  private refuse(socket: Socket, code: string, message: string, extra: Record<string, unknown> = {}): void {
    // Refusals count too: a device flooding requests it never reads the answers of is bounded alike.
    if (!this.backlog.admit(socket, 'error')) return;
    socket.emit(HUB_EVENTS.error, { code, message, ...extra });
  }
}
