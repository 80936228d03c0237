import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

/**
 * A Socket.IO client over a bare TCP websocket that can stop reading: what a hostile or stuck
 * device does to the hub. It speaks just enough of the protocol (websocket upgrade, engine.io v4,
 * the Socket.IO connect with `auth`) to send events; once `stopReading()` is called it never reads
 * again, so whatever the hub sends piles up in the kernel's buffers and then in the hub.
 */
export class StalledSocketIo {
  private received = '';

  private constructor(private readonly tcp: Socket) {
    tcp.on('data', (chunk: Buffer) => {
      this.received += chunk.toString('latin1');
      if (this.received.length > 1_000_000) this.received = this.received.slice(-100_000);
    });
    tcp.on('error', () => undefined);
  }

  /** Upgrades to a websocket and joins the default namespace with `auth`; resolves once connected. */
  static async connect(host: string, port: number, auth: Record<string, unknown>, timeoutMs = 5_000): Promise<StalledSocketIo> {
    const tcp = connect({ host, port });
    await new Promise<void>((resolve, reject) => tcp.once('connect', resolve).once('error', reject));
    const client = new StalledSocketIo(tcp);
    tcp.write(
      `GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: ${host}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    );
    await client.waitFor(/HTTP\/1\.1 101/, timeoutMs);
    await client.waitFor(/0\{"sid"/, timeoutMs);
    client.send(`40${JSON.stringify(auth)}`);
    await client.waitFor(/40\{"sid"/, timeoutMs);
    return client;
  }

  /** Emits a Socket.IO event (no ack). Returns false when the kernel's buffer towards the hub is full. */
  emit(event: string, body: unknown): boolean {
    return this.send(`42${JSON.stringify([event, body])}`);
  }

  /** From now on nothing is read from the socket, ever. */
  stopReading(): void {
    this.tcp.pause();
    this.tcp.removeAllListeners('data');
  }

  get destroyed(): boolean {
    return this.tcp.destroyed;
  }

  destroy(): void {
    this.tcp.destroy();
  }

  /** One masked text frame (a client must mask). */
  private send(text: string): boolean {
    const payload = Buffer.from(text, 'utf8');
    const mask = randomBytes(4);
    const length = payload.length;
    const header =
      length < 126
        ? Buffer.from([0x81, 0x80 | length])
        : length < 65_536
          ? Buffer.from([0x81, 0x80 | 126, length >> 8, length & 0xff])
          : Buffer.concat([Buffer.from([0x81, 0x80 | 127]), bigEndian64(length)]);
    for (let i = 0; i < length; i++) payload[i]! ^= mask[i % 4]!;
    return this.tcp.write(Buffer.concat([header, mask, payload]));
  }

  private waitFor(pattern: RegExp, timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const started = Date.now();
      const check = () => {
        if (pattern.test(this.received)) return resolve();
        if (this.tcp.destroyed || Date.now() - started > timeoutMs)
          return reject(new Error(`no ${pattern} from the server; got ${JSON.stringify(this.received.slice(0, 300))}`));
        setTimeout(check, 10);
      };
      check();
    });
  }
}

function bigEndian64(value: number): Buffer {
  const buffer = Buffer.alloc(8);
  buffer.writeBigUInt64BE(BigInt(value));
  return buffer;
}
