import { EventEmitter } from 'node:events';
import { io, type Socket } from 'socket.io-client';
import { HUB_EVENTS, type AppendAck, type EventBase, type EventsBulk, type HelloAck, type StateChanged, type StoredEvent } from '@app/contracts';
import { DeviceStore } from './device-store.js';

export interface HubClientOptions {
  /** The hub's base URL, e.g. http://192.168.1.10:4001. */
  url: string;
  /** A cluster token, or a function giving the current one at each (re)connection. */
  token: string | (() => string);
  deviceId: string;
  tenantId: string;
  storeId: string;
  /** SQLite file of the outbox and cursor; `:memory:` (the default) keeps nothing across restarts. */
  storePath?: string;
  /** Appends sent before their acks come back (they are still committed in order). Default 32. */
  maxInFlight?: number;
  /** How often the catch-up cursor is saved while events stream in. Default 50 ms. */
  cursorSaveIntervalMs?: number;
}

export type EventSource = 'bulk' | 'relay' | 'own';

export interface HubClientEvents {
  /** Every event of the store exactly once per session, in `seq` order, with no gap. */
  event: [event: StoredEvent, source: EventSource];
  /** The last catch-up page arrived: the device holds every event up to the hub's latest. */
  caughtUp: [cursor: number];
  'state.changed': [change: StateChanged];
  /** An outbox event the hub refused for good (INVALID, VERSION_CONFLICT, LOCKED ...): never dropped silently. */
  rejected: [event: EventBase, ack: Extract<AppendAck, { ok: false }>];
  /** An outbox event the hub committed (including those appended before a restart). */
  acked: [event: EventBase, ack: Extract<AppendAck, { ok: true }>];
  connected: [ack: HelloAck];
  /**
   * The hub no longer holds the events after this device's cursor (it pruned them once the cloud
   * had them): reload the read models (`GET /api/v1/orders`, `/tickets`, `/inventory`) and the
   * domains over HTTP. Events go on after `ack.cursor`; one already in the reloaded models may
   * still come as an event (compare its `seq` with the row's `lastSeq`).
   */
  snapshot: [ack: HelloAck];
  disconnected: [reason: string];
  /** The handshake was refused (`unauthorized`, `realm_mismatch`): the client stops. */
  refused: [reason: string];
  /** An error message from the hub (`hub.error`); a refused catch-up request is retried. */
  hubError: [error: { code: string; message: string; retryAfterMs?: number }];
}

interface OutboxItem {
  id: number;
  event: EventBase;
  resolve?: (ack: AppendAck) => void;
  ack?: AppendAck;
  sent: boolean;
}

// CLOCK_EXHAUSTED: the hub's clock needs an operator, the event is fine; it stays in the outbox.
const RETRYABLE = new Set(['RATE_LIMITED', 'UNAVAILABLE', 'CLOCK_EXHAUSTED']);
const GAP_WAIT_MS = 30;

/**
 * What a till, a KDS or a BDS uses to talk to the hub (SYSTEM.md 4.2). Appends go to a local
 * outbox first and are sent in order, several in flight; the hub's answers are handled in outbox
 * order, so a retryable refusal (RATE_LIMITED, UNAVAILABLE, a lost connection) resends everything
 * from that event on (the hub answers a repeat with the original seq), and a final refusal is
 * reported through `rejected`. Incoming events (catch-up pages, relays, the device's own acked
 * events) are delivered through `event` once each, in seq order.
 */
export class HubClient extends EventEmitter<HubClientEvents> {
  private readonly store: DeviceStore;
  private readonly socket: Socket;
  private readonly maxInFlight: number;
  private outbox: OutboxItem[] = [];
  private nextToSend = 0;
  private inFlight = 0;
  private generation = 0;
  private blockedUntil = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private ready = false;
  private closed = false;
  private cursorValue: number;
  private catchingUp = false;
  private readonly early = new Map<number, { event: StoredEvent; source: EventSource }>();
  private gapTimer: NodeJS.Timeout | null = null;
  private readonly saveTimer: NodeJS.Timeout;
  private savedCursor: number;
  private hello: HelloAck | null = null;

  constructor(private readonly options: HubClientOptions) {
    super();
    this.store = new DeviceStore(options.storePath ?? ':memory:');
    this.maxInFlight = options.maxInFlight ?? 32;
    this.cursorValue = this.savedCursor = this.store.cursor();
    this.outbox = this.store.pending().map((entry) => ({ ...entry, sent: false }));
    const token = options.token;
    this.socket = io(options.url, {
      autoConnect: false,
      transports: ['websocket'],
      reconnectionDelay: 100,
      reconnectionDelayMax: 2_000,
      auth: (cb) => cb({ token: typeof token === 'function' ? token() : token }),
    });
    this.socket.on('connect', () => this.onConnect());
    this.socket.on('disconnect', (reason) => this.onDisconnect(reason));
    this.socket.on('connect_error', (error) => {
      // A refusal by the hub's handshake check ends the client; a network error is retried.
      if (!this.socket.active) this.emit('refused', error.message);
    });
    this.socket.on(HUB_EVENTS.helloAck, (ack: HelloAck) => this.onHelloAck(ack));
    this.socket.on(HUB_EVENTS.eventsBulk, (bulk: EventsBulk) => this.onBulk(bulk));
    this.socket.on(HUB_EVENTS.eventsRelay, (event: StoredEvent) => this.accept(event, 'relay'));
    this.socket.on(HUB_EVENTS.stateChanged, (change: StateChanged) => this.emit('state.changed', change));
    this.socket.on(HUB_EVENTS.error, (error: { code: string; message: string; retryAfterMs?: number }) => this.onHubError(error));
    this.saveTimer = setInterval(() => this.saveCursor(), options.cursorSaveIntervalMs ?? 50);
    this.saveTimer.unref();
  }

  /** Connects and says hello; resolves with the hub's hello.ack, rejects when the handshake is refused. */
  connect(): Promise<HelloAck> {
    return new Promise<HelloAck>((resolve, reject) => {
      const onConnected = (ack: HelloAck) => {
        this.off('refused', onRefused);
        resolve(ack);
      };
      const onRefused = (reason: string) => {
        this.off('connected', onConnected);
        reject(new Error(reason));
      };
      this.once('connected', onConnected);
      this.once('refused', onRefused);
      this.socket.connect();
    });
  }

  /** Resolves once the device holds every event up to the hub's latest at the time of the call. */
  waitCaughtUp(): Promise<number> {
    if (this.ready && !this.catchingUp && this.hello && this.cursorValue >= this.hello.cursor) return Promise.resolve(this.cursorValue);
    return new Promise((resolve) => this.once('caughtUp', resolve));
  }

  /**
   * Stores the event in the outbox and sends it when connected. Resolves with the hub's final
   * answer: `{ok: true, seq}` once committed, or a refusal that is not worth retrying.
   */
  append(event: EventBase): Promise<AppendAck> {
    if (this.closed) return Promise.reject(new Error('the client is closed'));
    const id = this.store.enqueue(event);
    return new Promise<AppendAck>((resolve) => {
      const existing = this.outbox.find((item) => item.id === id);
      if (existing) {
        const previous = existing.resolve;
        existing.resolve = (ack) => {
          previous?.(ack);
          resolve(ack);
        };
        return;
      }
      this.outbox.push({ id, event, resolve, sent: false });
      this.pump();
    });
  }

  get cursor(): number {
    return this.cursorValue;
  }

  get connected(): boolean {
    return this.ready;
  }

  outboxSize(): number {
    return this.outbox.length;
  }

  /** Disconnects and closes the local store; the outbox stays on disk for the next start. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.disconnect();
    this.socket.removeAllListeners();
    clearInterval(this.saveTimer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.gapTimer) clearTimeout(this.gapTimer);
    this.saveCursor();
    this.store.close();
  }

  private onConnect(): void {
    this.socket.emit(HUB_EVENTS.hello, {
      deviceId: this.options.deviceId,
      tenantId: this.options.tenantId,
      storeId: this.options.storeId,
      cursor: this.cursorValue,
    });
  }

  private onHelloAck(ack: HelloAck): void {
    const knownHub = this.store.hubId();
    let snapshot = false;
    if (ack.snapshotNeeded || (knownHub !== null && knownHub !== ack.leaderId)) {
      // Another hub, or one that cannot continue this device's cursor: start over from its whole
      // log, or, when it pruned its start, from its latest event after a snapshot.
      snapshot = (ack.prunedThrough ?? 0) > 0;
      this.cursorValue = snapshot ? ack.cursor : 0;
      this.early.clear();
    }
    this.store.saveHubId(ack.leaderId);
    this.hello = ack;
    this.ready = true;
    this.catchingUp = true;
    if (snapshot) this.emit('snapshot', ack);
    this.emit('connected', ack);
    this.pump();
  }

  private onDisconnect(reason: string): void {
    this.ready = false;
    this.catchingUp = false;
    // Everything in flight is resent on the next connection, in order; the hub deduplicates.
    this.generation += 1;
    this.nextToSend = 0;
    this.inFlight = 0;
    for (const item of this.outbox) {
      item.sent = false;
      delete item.ack;
    }
    if (!this.closed) this.emit('disconnected', reason);
  }

  private onHubError(error: { code: string; message: string; retryAfterMs?: number }): void {
    // The hub pruned the events this device was asking for: hello again, which brings the snapshot.
    if (error.code === 'SNAPSHOT_NEEDED' && this.socket.connected) this.onConnect();
    // A hello the hub refused for now: say it again.
    if (error.code === 'RATE_LIMITED' && this.socket.connected && !this.ready) {
      setTimeout(() => {
        if (this.socket.connected && !this.ready) this.onConnect();
      }, error.retryAfterMs ?? 100).unref();
    }
    // A catch-up request the hub refused for now: ask again from where this device is.
    if (error.code === 'RATE_LIMITED' && this.catchingUp && this.ready) {
      setTimeout(() => {
        if (this.ready && this.catchingUp) this.socket.emit(HUB_EVENTS.cursorRequest, { fromSeq: this.cursorValue });
      }, error.retryAfterMs ?? 100).unref();
    }
    this.emit('hubError', error);
  }

  private onBulk(bulk: EventsBulk): void {
    // Ask for the next page before handling this one, so the hub reads it while this device works.
    if (bulk.hasMore) this.socket.emit(HUB_EVENTS.cursorRequest, { fromSeq: Math.max(this.cursorValue, bulk.nextCursor) });
    for (const event of bulk.events) this.accept(event, 'bulk');
    if (bulk.hasMore) return;
    this.catchingUp = false;
    this.saveCursor();
    if (this.early.size > 0) this.scheduleGapCheck();
    this.emit('caughtUp', this.cursorValue);
  }

  /** Delivers events in seq order exactly once; holds early ones until the gap before them fills. */
  private accept(event: StoredEvent, source: EventSource): void {
    if (event.seq <= this.cursorValue) return;
    if (event.seq !== this.cursorValue + 1) {
      this.early.set(event.seq, { event, source });
      if (!this.catchingUp) this.scheduleGapCheck();
      return;
    }
    this.deliver(event, source);
    let next = this.early.get(this.cursorValue + 1);
    while (next) {
      this.early.delete(this.cursorValue + 1);
      this.deliver(next.event, next.source);
      next = this.early.get(this.cursorValue + 1);
    }
    for (const seq of this.early.keys()) if (seq <= this.cursorValue) this.early.delete(seq);
  }

  private deliver(event: StoredEvent, source: EventSource): void {
    this.cursorValue = event.seq;
    this.emit('event', event, source);
  }

  /** A relay arrived ahead of an event not seen yet (often this device's own, whose ack is on its way). */
  private scheduleGapCheck(): void {
    if (this.gapTimer) return;
    this.gapTimer = setTimeout(() => {
      this.gapTimer = null;
      if (this.early.size === 0 || this.catchingUp || !this.ready) return;
      // While this device's own appends are unanswered, their acks are the likely missing events.
      if (this.inFlight > 0) return this.scheduleGapCheck();
      this.catchingUp = true;
      this.socket.emit(HUB_EVENTS.cursorRequest, { fromSeq: this.cursorValue });
    }, GAP_WAIT_MS);
  }

  private saveCursor(): void {
    if (this.cursorValue === this.savedCursor) return;
    this.store.saveCursor(this.cursorValue);
    this.savedCursor = this.cursorValue;
  }

  private pump(): void {
    if (!this.ready || this.closed) return;
    const wait = this.blockedUntil - Date.now();
    if (wait > 0) {
      this.retryTimer ??= setTimeout(() => {
        this.retryTimer = null;
        this.pump();
      }, wait);
      return;
    }
    while (this.inFlight < this.maxInFlight && this.nextToSend < this.outbox.length) {
      const item = this.outbox[this.nextToSend]!;
      this.nextToSend += 1;
      this.inFlight += 1;
      item.sent = true;
      const generation = this.generation;
      this.socket.emit(HUB_EVENTS.eventsAppend, item.event, (ack: AppendAck) => this.onAck(item, generation, ack));
    }
  }

  private onAck(item: OutboxItem, generation: number, ack: AppendAck): void {
    if (generation !== this.generation || this.closed) return;
    this.inFlight -= 1;
    item.ack = ack;
    // Answers are settled in outbox order: a refusal of an event after one that must be retried
    // (a VERSION_CONFLICT caused by the missing predecessor) is not final.
    while (this.outbox[0]?.ack) {
      const head = this.outbox[0];
      const headAck = head.ack!;
      if (!headAck.ok && RETRYABLE.has(headAck.code)) {
        this.retryFromHead(headAck.retryAfterMs ?? 200);
        return;
      }
      this.outbox.shift();
      this.nextToSend -= 1;
      this.store.remove(head.id);
      if (headAck.ok) {
        this.accept({ ...head.event, seq: headAck.seq }, 'own');
        this.emit('acked', head.event, headAck);
      } else {
        this.emit('rejected', head.event, headAck);
      }
      head.resolve?.(headAck);
    }
    this.pump();
  }

  private retryFromHead(afterMs: number): void {
    this.generation += 1;
    this.nextToSend = 0;
    this.inFlight = 0;
    for (const item of this.outbox) {
      item.sent = false;
      delete item.ack;
    }
    this.blockedUntil = Date.now() + afterMs;
    this.pump();
  }
}
