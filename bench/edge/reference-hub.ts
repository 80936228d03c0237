import { createServer } from 'node:http';
import { Server } from 'socket.io';
import { EVENTS_BULK_PAGE_SIZE, HUB_EVENTS, type EventBase, type StoredEvent } from '@app/contracts';

/**
 * The seed's reference hub (seed 000, section 14), rebuilt for `npm run bench:edge` as the baseline
 * the issue measured: events kept in an array in memory, no token checked, no schema validated,
 * every append relayed at once to the other sockets of one room. It speaks just enough of the
 * protocol for `@app/device-client` (seq, acks, paged `events.bulk`) so that the same 20 devices
 * measure it and the real hub back to back, on the machine as it is at that moment. Never a product
 * component: it loses everything on exit and trusts anyone.
 */
const ROOM = 'store';
const events: StoredEvent[] = [];
const byId = new Map<string, number>();

const http = createServer((req, res) => {
  res.writeHead(req.url === '/healthz' ? 200 : 404, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ status: 'ok' }));
});
const io = new Server(http, { transports: ['websocket'] });

function page(afterSeq: number) {
  const slice = events.slice(afterSeq, afterSeq + EVENTS_BULK_PAGE_SIZE);
  const nextCursor = slice.length > 0 ? slice[slice.length - 1]!.seq : Math.min(afterSeq, events.length);
  return { events: slice, nextCursor, hasMore: nextCursor < events.length };
}

io.on('connection', (socket) => {
  socket.on(HUB_EVENTS.hello, (hello: { cursor?: number }) => {
    const cursor = typeof hello?.cursor === 'number' ? hello.cursor : 0;
    void socket.join(ROOM);
    socket.emit(HUB_EVENTS.helloAck, { leaderId: 'reference', snapshotNeeded: cursor > events.length, cursor: events.length, lamport: events.length });
    socket.emit(HUB_EVENTS.eventsBulk, page(cursor > events.length ? 0 : cursor));
  });
  socket.on(HUB_EVENTS.cursorRequest, (request: { fromSeq?: number }) => socket.emit(HUB_EVENTS.eventsBulk, page(request?.fromSeq ?? 0)));
  socket.on(HUB_EVENTS.eventsAppend, (event: EventBase, ack: (answer: unknown) => void) => {
    const seen = byId.get(event.eventId);
    if (seen !== undefined) return ack({ ok: true, seq: seen, duplicate: true });
    const stored: StoredEvent = { ...event, seq: events.length + 1 };
    events.push(stored);
    byId.set(event.eventId, stored.seq);
    socket.to(ROOM).emit(HUB_EVENTS.eventsRelay, stored);
    ack({ ok: true, seq: stored.seq });
  });
});

http.listen(Number(process.env.PORT), process.env.HOST ?? '127.0.0.1');
process.on('SIGTERM', () => {
  void io.close();
  process.exit(0);
});
